import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { commandHostRefs } from '../../../server/src/engine/evidence/command';
import { splitShell } from '../../../server/src/engine/evidence/shell';

/** Hosts of a command line, each with the text at its offsets (which must be the host itself). */
function hosts(line: string): string[] {
  return commandHostRefs(splitShell(line)).map((r) => {
    assert.equal(line.slice(r.offset, r.offset + r.length), r.host, `offsets of ${r.host} in ${line}`);
    return r.port === undefined ? r.host : `${r.host}:${r.port}`;
  });
}

describe('splitShell', () => {
  test('quotes and escapes are removed, offsets point at the characters', () => {
    const words = splitShell(`a "b c" 'd' e\\ f`);
    assert.deepEqual(
      words.map((w) => w.text),
      ['a', 'b c', 'd', 'e f'],
    );
    assert.deepEqual(words[1]!.at, [3, 4, 5]);
  });

  test('operators separate commands; comments are dropped', () => {
    assert.deepEqual(
      splitShell('a && b; c # d').map((w) => w.text),
      ['a', '&&', 'b', ';', 'c'],
    );
  });
});

describe('commandHostRefs', () => {
  test('wait tools and probes', () => {
    assert.deepEqual(hosts('wait-for-it db:3306 -- npm start'), ['db:3306']);
    assert.deepEqual(hosts('nc -z db 5432'), ['db:5432']);
    assert.deepEqual(hosts('nc -w 1 -z cache 6379'), ['cache:6379']);
    assert.deepEqual(hosts('pg_isready -h db -U postgres'), ['db']);
    assert.deepEqual(hosts('dockerize -wait tcp://db:5432 -timeout 30s app'), ['db:5432']);
    assert.deepEqual(hosts('redis-cli -h cache ping'), ['cache']);
  });

  test('host flags, with = or a separate value, and lists', () => {
    assert.deepEqual(hosts('app --db-host=db --redis-url redis://cache:6379/0'), ['db', 'cache:6379']);
    assert.deepEqual(hosts('kafka-topics --bootstrap-server kafka1:9092,kafka2:9092 --list'), [
      'kafka1:9092',
      'kafka2:9092',
    ]);
    assert.deepEqual(hosts('curl -f http://api:8080/health'), ['api:8080']);
  });

  test('sh -c scripts are scanned, offsets inside the quotes', () => {
    assert.deepEqual(hosts(`sh -c "until nc -z db 5432; do sleep 1; done; exec app --api-url=http://api"`), [
      'db:5432',
      'api',
    ]);
    assert.deepEqual(hosts(`bash -ec 'wait-for-it queue:5672 && worker'`), ['queue:5672']);
  });

  test('bare words, prose, self flags, IPs, localhost and versions do not count', () => {
    assert.deepEqual(hosts('echo db is ready'), []);
    assert.deepEqual(hosts('psql -U db -d db'), []);
    assert.deepEqual(hosts('app -h db'), []);
    assert.deepEqual(hosts('mysqladmin ping -h 127.0.0.1 -h localhost'), []);
    assert.deepEqual(hosts('server --listen-address=web:8080 --bind-host=web --hostname=web'), []);
    assert.deepEqual(hosts('run redis:7 gunicorn app:app'), []);
    assert.deepEqual(hosts('--entrypoints.web.address=:80 -H unix:///var/run/docker.sock'), []);
    assert.deepEqual(hosts('app --password=db:5432'), []);
  });
});
