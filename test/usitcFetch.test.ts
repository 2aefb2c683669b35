import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { headingReferences } from '../src/fetch/usitcFetch.js';
import { bypassesProxy, proxyFor } from '../src/files/proxy.js';
import { cli, cliAsync, tempDir, listenOnLoopback } from './helpers.js';

type R = Record<string, unknown>;

// A hand-built HTS export in the layout of the USITC JSON service: lines with htsno and footnotes
// naming chapter 99 headings (8- and 10-digit lines, a chapter 99 line, an exclusion heading).
const EXPORT = [
  { htsno: '0101', indent: '0', description: 'Live horses, asses, mules and hinnies:', footnotes: [] },
  {
    htsno: '8542.31.00',
    indent: '2',
    description: 'Processors and controllers',
    footnotes: [{ columns: ['general'], value: 'See 9903.88.02. ', type: 'endnote' }],
  },
  { htsno: '8542.31.00.01', indent: '3', description: 'Other', footnotes: [] },
  {
    htsno: '9401.61.40',
    indent: '2',
    description: 'Other',
    footnotes: [{ columns: ['general'], value: 'See 9903.88.03. ', type: 'endnote' }],
  },
  {
    htsno: '8517.13.00',
    indent: '2',
    description: 'Smartphones',
    footnotes: [{ columns: ['general'], value: 'See 9903.88.15.', type: 'endnote' }],
  },
  {
    htsno: '8517.13.00.00',
    indent: '3',
    description: 'Smartphones',
    footnotes: [{ columns: ['general'], value: 'See 9903.88.15 and 9903.88.69.', type: 'endnote' }],
  },
  {
    htsno: '9903.88.01',
    indent: '1',
    description: 'Articles the product of China, as provided for in U.S. note 20(b)',
    footnotes: [],
  },
];

describe('USITC HTS export: lines by the Section 301 heading their footnotes name', () => {
  test('8- and 10-digit lines give HTS8 lines; chapter 99 and unnamed lines are left out; other headings are counted', () => {
    const refs = headingReferences(
      JSON.stringify(EXPORT),
      'export.json',
      new Set(['9903.88.01', '9903.88.02', '9903.88.03', '9903.88.15', '9903.88.16']),
    );
    assert.deepEqual(refs.pairs, [
      ['85423100', '9903.88.02'],
      ['94016140', '9903.88.03'],
      ['85171300', '9903.88.15'],
    ]);
    assert.deepEqual([...refs.others], [['9903.88.69', 1]]);
    assert.equal(refs.lines, 7);
  });

  test('an answer that is not the export stops with the file and entry named', () => {
    assert.throws(() => headingReferences('<html>maintenance</html>', 'x.json', new Set()), /x\.json: not JSON/);
    assert.throws(() => headingReferences('{"results": []}', 'x.json', new Set()), /not an HTS export/);
    assert.throws(
      () => headingReferences('[{"htsno": "0101"}, {"hts": "0102"}]', 'x.json', new Set()),
      /x\.json, entry 2: not an HTS line/,
    );
  });
});

describe("fetch usitc-301: downloaded (retried after a 500), imported with the registry's rates by date", () => {
  let server: Server;
  let api = '';
  let calls = 0;
  before(async () => {
    server = createServer((req, res) => {
      calls++;
      const url = new URL(req.url ?? '/', 'http://x');
      if (url.searchParams.get('format') !== 'JSON') {
        res.statusCode = 400;
        res.end('format');
        return;
      }
      if (calls === 1) {
        res.statusCode = 500;
        res.end('busy');
        return;
      }
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify(EXPORT));
    });
    api = `${await listenOnLoopback(server)}/reststop/exportList`;
  });
  after(() => server.close());

  test("the tariff in force on the lines follows the lists' dates: 25% from list 2, 10% then 25% on list 3, 7.5% on list 4A in 2020", async () => {
    const db = join(tempDir(), 'store.duckdb');
    const env = { ...process.env, DECOUPLE_CACHE: tempDir(), DECOUPLE_USITC_API: api, DECOUPLE_QUIET: '1' };
    const dry = await cliAsync(db, env, 'fetch', 'usitc-301', '--dry-run');
    assert.match(dry.stdout, /would download the HTS export .*reststop\/exportList\?from=0100&to=9999&format=JSON/);
    const r = await cliAsync(db, { ...env, DECOUPLE_QUIET: '' }, '--format', 'json', 'fetch', 'usitc-301');
    assert.equal(r.status, 0, r.stderr);
    assert.equal(calls, 2, 'one retry after the 500');
    assert.match(r.stderr, /9903\.88\.69 \(1\)/);
    const [out] = JSON.parse(r.stdout) as R[];
    assert.equal(out.list_lines, 3);
    const rate = (hs6: string, date: string) =>
      (
        JSON.parse(
          cli(db, '--format', 'json', 'tariff', '--importer', 'USA', '--exporter', 'CHN', '--hs6', hs6, '--date', date)
            .stdout,
        ) as R[]
      )[0];
    assert.equal(rate('854231', '2018-08-22').max_additional_pct ?? 0, 0);
    assert.equal(rate('854231', '2019-01-01').max_additional_pct, 25);
    assert.equal(rate('940161', '2019-01-01').max_additional_pct, 10);
    assert.equal(rate('940161', '2019-06-01').max_additional_pct, 25);
    assert.equal(rate('851713', '2020-03-01').max_additional_pct, 7.5);
    const [ds] = JSON.parse(
      cli(db, '--format', 'json', 'query', "SELECT url FROM datasets WHERE source = 'tariffs'").stdout,
    ) as R[];
    assert.match(String(ds.url), /reststop\/exportList/);
    // A second run reads the cached answer and adds nothing.
    const again = await cliAsync(db, env, '--format', 'json', 'fetch', 'usitc-301');
    assert.equal(again.status, 0, again.stderr);
    assert.equal(calls, 2);
    assert.match(String((JSON.parse(again.stdout) as R[])[0].status), /already/);
  });
});

describe('downloads honour HTTPS_PROXY / HTTP_PROXY and NO_PROXY', () => {
  test('NO_PROXY matching: hosts, domains and subdomains, ports, *', () => {
    const u = (x: string) => new URL(x);
    assert.equal(bypassesProxy(u('https://api.census.gov/x'), 'census.gov'), true);
    assert.equal(bypassesProxy(u('https://api.census.gov/x'), '.census.gov'), true);
    assert.equal(bypassesProxy(u('https://notcensus.gov/x'), 'census.gov'), false);
    assert.equal(bypassesProxy(u('http://127.0.0.1:8080/x'), 'localhost, 127.0.0.1:8080'), true);
    assert.equal(bypassesProxy(u('http://127.0.0.1:9090/x'), '127.0.0.1:8080'), false);
    assert.equal(bypassesProxy(u('https://comtradeapi.un.org/x'), '*'), true);
    assert.equal(
      proxyFor(u('https://a.b/x'), { HTTPS_PROXY: 'http://p:3128', HTTP_PROXY: 'http://q:3128' }),
      'http://p:3128',
    );
    assert.equal(proxyFor(u('http://a.b/x'), { http_proxy: 'http://q:3128' }), 'http://q:3128');
    assert.equal(proxyFor(u('http://a.b/x'), { http_proxy: 'http://q:3128', no_proxy: 'a.b' }), undefined);
  });

  let proxy: Server;
  let origin: Server;
  const tunnels: string[] = [];
  let direct = 0;
  before(async () => {
    origin = createServer((_req, res) => {
      direct++;
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify(EXPORT));
    });
    // A forward proxy on loopback: it opens CONNECT tunnels, sending the (unresolvable) host to the origin server.
    proxy = createServer((_req, res) => {
      res.statusCode = 502;
      res.end();
    });
    proxy.on('connect', (req, socket: Socket) => {
      tunnels.push(req.url ?? '');
      if (!(req.url ?? '').startsWith('hts.usitc.invalid:')) {
        socket.end('HTTP/1.1 502 Bad Gateway\r\n\r\n');
        return;
      }
      const upstream = connect((origin.address() as { port: number }).port, '127.0.0.1', () => {
        socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        upstream.pipe(socket);
        socket.pipe(upstream);
      });
    });
    await Promise.all([proxy, origin].map(listenOnLoopback));
  });
  after(() => {
    proxy.close();
    origin.close();
  });

  test('through the proxy for a host it names; straight to a host NO_PROXY lists', async () => {
    const port = (srv: Server) => (srv.address() as { port: number }).port;
    const base = {
      ...process.env,
      DECOUPLE_QUIET: '1',
      HTTP_PROXY: `http://127.0.0.1:${port(proxy)}`,
      HTTPS_PROXY: '',
      NO_PROXY: '',
      http_proxy: '',
      https_proxy: '',
      no_proxy: '',
    };
    const viaProxy = await cliAsync(
      join(tempDir(), 's.duckdb'),
      { ...base, DECOUPLE_CACHE: tempDir(), DECOUPLE_USITC_API: 'http://hts.usitc.invalid/reststop/exportList' },
      'fetch',
      'usitc-301',
    );
    assert.equal(viaProxy.status, 0, viaProxy.stderr);
    assert.deepEqual(tunnels, ['hts.usitc.invalid:80']);
    assert.equal(direct, 1, 'the origin answered through the tunnel');
    const bypass = await cliAsync(
      join(tempDir(), 's.duckdb'),
      {
        ...base,
        NO_PROXY: '127.0.0.1',
        DECOUPLE_CACHE: tempDir(),
        DECOUPLE_USITC_API: `http://127.0.0.1:${port(origin)}/reststop/exportList`,
      },
      'fetch',
      'usitc-301',
    );
    assert.equal(bypass.status, 0, bypass.stderr);
    assert.equal(direct, 2);
    assert.equal(tunnels.length, 1, 'no tunnel for a host NO_PROXY lists');
  });
});
