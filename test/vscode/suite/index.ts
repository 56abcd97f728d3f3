// The tests module VS Code loads in its extension host (code-server or desktop alike): it must
// export run(), and VS Code turns a rejection into a non-zero exit code for the launcher.

import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';

export async function run(): Promise<void> {
  const mocha = new Mocha({
    ui: 'tdd',
    // The output ends up in a browser console and then a CI log; escape codes would be noise there.
    color: false,
    // Real editor round trips (open, activate, language server start) take seconds on a cold host.
    timeout: 30_000,
    ...(process.env.COMPOSE_TEST_GREP ? { grep: process.env.COMPOSE_TEST_GREP } : {}),
  });

  const files = fs
    .readdirSync(__dirname, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.test.js'))
    .sort();
  if (files.length === 0) {
    throw new Error(`no *.test.js files under ${__dirname}`);
  }
  for (const file of files) {
    mocha.addFile(path.join(__dirname, file));
  }

  await new Promise<void>((resolve, reject) => {
    let passed = 0;
    let pending = 0;
    const runner = mocha.run((failures) => {
      console.log(`${passed} passed, ${failures} failed${pending ? `, ${pending} pending` : ''}`);
      if (failures > 0) {
        reject(new Error(`${failures} test(s) failed`));
      } else if (passed === 0) {
        // A grep that matches nothing must not look like success.
        reject(new Error('no tests ran'));
      } else {
        resolve();
      }
    });
    runner.on('pass', () => passed++);
    runner.on('pending', () => pending++);
  });
}
