import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { configFormat, configHosts } from '../../../server/src/engine/evidence/configFile';
import { dedent } from '../../support/dedent';

/** Hosts found in a file of that name, each checked to sit at its offsets. */
function hosts(name: string, text: string): string[] {
  const format = configFormat([`/p/${name}`], text);
  if (!format) return [];
  return configHosts(format, [`/p/${name}`], text).map((r) => {
    assert.equal(text.slice(r.offset, r.offset + r.length), r.host);
    return r.host;
  });
}

describe('configuration file parsers', () => {
  test('nginx: pass directives and upstream servers; comments and upstream names do not count', () => {
    const text = dedent`
      upstream backend {
        server app:8000;   # server old:8000;
        server 10.0.0.1:80;
      }
      server {
        listen 80;
        server_name web.example.com;
        # proxy_pass http://old:80;
        location / { proxy_pass http://backend; }
        location /api { proxy_pass http://api:3000/; }
        location ~ \.php$ { fastcgi_pass php:9000; }
        location /u { uwsgi_pass flask:5000; }
        location /g { grpc_pass grpc://grpcsvc:50051; }
        location /x { proxy_pass $dynamic; }
      }
    `;
    assert.equal(configFormat(['/p/nginx.conf'], text), 'nginx');
    assert.deepEqual(hosts('nginx.conf', text), ['app', 'api', 'php', 'flask', 'grpcsvc']);
  });

  test('Caddyfile: reverse_proxy upstreams after matchers, php_fastcgi, to', () => {
    const text = dedent`
      example.com {
        # reverse_proxy old:80
        reverse_proxy /api/* api:3000
        php_fastcgi php:9000
        reverse_proxy {
          to http://web:80
        }
      }
    `;
    assert.deepEqual(hosts('Caddyfile', text), ['api', 'php', 'web']);
  });

  test('HAProxy: the address of server lines, not the label', () => {
    const text = dedent`
      backend be
        # server old old:80
        server s1 web1:80 check
        server web2 web2
    `;
    assert.deepEqual(hosts('haproxy.cfg', text), ['web1', 'web2']);
  });

  test('Prometheus: targets (flow and block lists), comments skipped', () => {
    const text = dedent`
      scrape_configs:
        - job_name: node
          static_configs:
            - targets: ['node-exporter:9100', "cadvisor:8080"]
            # - targets: ['old:9100']
            - targets:
                - api:8080
      alerting:
        alertmanagers:
          - static_configs:
              - targets: [alertmanager:9093]
    `;
    assert.deepEqual(hosts('prometheus.yml', text), ['node-exporter', 'cadvisor', 'api', 'alertmanager']);
  });

  test('Grafana data sources, read even in a mounted directory (no free-text scan there)', () => {
    const text = dedent`
      apiVersion: 1
      datasources:
        - name: Prometheus
          type: prometheus
          url: http://prometheus:9090
        # - url: http://old:3100
        - name: Loki
          url: "http://loki:3100"
    `;
    assert.equal(configFormat(['/p/datasources.yml'], text, false), 'grafana');
    assert.deepEqual(hosts('datasources.yml', text), ['prometheus', 'loki']);
  });

  test('Envoy socket addresses and Traefik file providers', () => {
    const envoy = dedent`
      clusters:
        - name: svc
          load_assignment:
            endpoints:
              - lb_endpoints:
                  - endpoint: { address: { socket_address: { address: backend, port_value: 8080 } } }
    `;
    assert.deepEqual(hosts('envoy.yaml', envoy), ['backend']);
    const toml = dedent`
      [http.services.app.loadBalancer]
        # url = "http://old:80"
        [[http.services.app.loadBalancer.servers]]
          url = "http://app:80"
    `;
    assert.deepEqual(hosts('dynamic.toml', toml), ['app']);
    const yaml = dedent`
      http:
        services:
          app:
            loadBalancer:
              servers:
                - url: http://whoami:80
    `;
    assert.deepEqual(hosts('dynamic.yml', yaml), ['whoami']);
  });

  test('generic scan: URLs and host:port only, not bare words or comments; data files are not read', () => {
    const text = dedent`
      # url = http://old:80
      [db]
      host = db
      url = postgres://db:5432/app
      cache = cache:6379
    `;
    assert.deepEqual(hosts('app.ini', text), ['db', 'cache']);
    assert.equal(configFormat(['/p/dump.sql'], 'x http://db:80'), undefined);
  });
});
