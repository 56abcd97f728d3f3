import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { applyFixes } from '../../../server/src/engine/fixes';
import { dedent } from '../../support/dedent';
import { fixesOf, project, ROOT } from '../../support/fixes';
import { analyzeYaml, shown } from '../../support/rules';

describe('admin-console-exposed', () => {
  test('consoles published on all interfaces, on the port token; only the UI port of a store or proxy', () => {
    const r = analyzeYaml(dedent`
      services:
        pgadmin:
          image: dpage/pgadmin4
          ports: ["5050:80"]
        adminer:
          image: adminer
          ports: ["127.0.0.1:8080:8080"]
        mq:
          image: rabbitmq:3-management
          ports: ["5672:5672", "15672:15672"]
        traefik:
          image: traefik:3
          command: ["--api.insecure=true", "--providers.docker"]
          ports: ["80:80", "8080:8080"]
        quiet:
          image: traefik:3
          ports: ["8081:8080"]
        mail:
          image: axllent/mailpit
          ports:
            - target: 8025
              published: 8025
            - "1025:1025"
    `);
    assert.deepEqual(
      shown(r, 'admin-console-exposed').map((f) => `${f.severity} ${f.text}: ${f.message}`),
      [
        'warning "5050:80": pgadmin (public) publishes pgAdmin on port 5050 on all interfaces: whoever reaches ' +
          'the host gets its UI, and through it the databases it connects to.',
        'warning "15672:15672": mq (data) publishes the RabbitMQ management UI on port 15672 on all interfaces: ' +
          'whoever reaches the host gets its UI, and through it the broker.',
        'warning "8080:8080": traefik (public) publishes the Traefik dashboard and API (--api.insecure) on port ' +
          '8080 on all interfaces: whoever reaches the host gets its UI, and through it the routing ' +
          'configuration it shows, with no login.',
        'warning target: 8025\n        published: 8025: mail (public) publishes Mailpit on port 8025 on all ' +
          'interfaces: whoever reaches the host gets its UI, and through it every mail the project sends.',
      ],
    );
  });

  test('quick fix: bind the port to 127.0.0.1 (proven by re-analysis), or stop publishing it', () => {
    const a = project({
      'compose.yaml': dedent`
        services:
          pgadmin:
            image: dpage/pgadmin4
            ports:
              - "5050:80"   # the UI
          ui:
            image: mongo-express
            ports:
              - target: 8081
                published: 8081
      `,
    });
    assert.deepEqual(
      fixesOf(a, 'admin-console-exposed').map((f) => [f.title, f.isPreferred]),
      [
        ['Bind port 5050 to 127.0.0.1', true],
        ['Stop publishing port 5050', false],
      ],
    );
    const r = applyFixes(a, { only: ['admin-console-exposed'] });
    assert.equal(r.applied.length, 2);
    assert.equal(
      r.texts.get(`${ROOT}/compose.yaml`),
      dedent`
        services:
          pgadmin:
            image: dpage/pgadmin4
            ports:
              - "127.0.0.1:5050:80"   # the UI
          ui:
            image: mongo-express
            ports:
              - target: 8081
                published: 8081
                host_ip: 127.0.0.1
      `,
    );
    assert.deepEqual(
      r.final.findings.filter((f) => f.code === 'admin-console-exposed'),
      [],
    );
  });
});
