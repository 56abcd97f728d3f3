/**
 * Oracle: Docker's own loader (docker-compose 1.29, Debian's package) against ours. For every
 * corpus project it accepts, the networks each service joins must be the same.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import { analyze } from '../../server/src/engine';
import { createNodeHost } from '../../server/src/host/nodeHost';
import { stageProject, tempDir } from '../support/oracle';
import { AWESOME } from '../support/paths';

/** A temp copy of a corpus project that docker-compose 1.29 can load. */
function stageCopy(project: string): string {
  const dir = tempDir('oracle-');
  stageProject(project, dir);
  return dir;
}

function dockerNetworks(dir: string): Record<string, string[]> | undefined {
  let out: string;
  try {
    out = execFileSync('docker-compose', ['config'], {
      cwd: dir,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 60_000,
    });
  } catch {
    return undefined; // docker-compose 1.29 refuses it (a newer spec key): not comparable
  }
  const config = parse(out) as {
    services: Record<string, { networks?: Record<string, unknown> | string[]; network_mode?: string }>;
  };
  const result: Record<string, string[]> = {};
  for (const [name, svc] of Object.entries(config.services)) {
    if (svc.network_mode) continue;
    const nets = Array.isArray(svc.networks) ? svc.networks : Object.keys(svc.networks ?? {});
    // v1 leaves out the implicit default network.
    result[name] = nets.length > 0 ? nets.sort() : ['default'];
  }
  return result;
}

describe('docker-compose 1.29 agrees on service networks', () => {
  const projects = fs.readdirSync(AWESOME).sort();
  let compared = 0;
  for (const name of projects) {
    test(name, () => {
      const dir = stageCopy(path.join(AWESOME, name));
      try {
        const expected = dockerNetworks(dir);
        if (!expected) return;
        compared++;
        const report = analyze({ files: [], workingDirectory: dir }, createNodeHost({}));
        const ours: Record<string, string[]> = {};
        for (const s of report.services) {
          if (s.attachment.kind !== 'networks') continue;
          ours[s.name] = s.networks.map((n) => n.network).sort();
        }
        assert.deepEqual(ours, expected);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
  }
  test('most of the corpus was comparable', () => {
    assert.ok(compared >= 30, `only ${compared} projects accepted by docker-compose`);
  });
});
