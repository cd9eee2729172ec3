import type { AddressInfo } from 'node:net';
import { expect } from 'chai';
import request from 'supertest';
import { buildOpenApiDocument } from '../../src/openapi.js';
import { useChromium } from '../support/chromium.js';
import { useTestApp } from '../support/test-app.js';

function documentedOperations(): string[] {
  const { paths = {} } = buildOpenApiDocument({ devMailbox: true, dashboard: true });
  return Object.entries(paths).flatMap(([path, item]) => Object.keys(item).map((method) => `${method.toUpperCase()} ${path}`));
}

describe('openapi routes', () => {
  const t = useTestApp();

  describe('GET /openapi.json', () => {
    it('when asked, then it answers the document of this app as JSON', async () => {
      const response = await request(t().app).get('/openapi.json').expect(200).expect('Content-Type', /application\/json/);
      expect(response.body).to.deep.equal(JSON.parse(JSON.stringify(buildOpenApiDocument({ devMailbox: true, dashboard: true }))));
      expect(response.body).to.have.nested.property('paths./dev/mailbox');
    });

    it('when asked with another method, then it answers 405 with Allow', async () => {
      const response = await request(t().app).post('/openapi.json').expect(405);
      expect(response.get('Allow')).to.equal('GET, HEAD');
    });
  });

  describe('GET /docs', () => {
    it('when asked without the trailing slash, then it redirects to /docs/, where the page resolves its assets', async () => {
      await request(t().app).get('/docs').expect(301).expect('Location', '/docs/');
    });

    it('when asked, then the page loads its scripts from here and none inline', async () => {
      const response = await request(t().app).get('/docs/').expect(200).expect('Content-Type', /text\/html/);
      const scripts = [...response.text.matchAll(/<script([^>]*)>([^<]*)<\/script>/g)];
      expect(scripts.map(([, attributes]) => attributes?.trim())).to.deep.equal([
        'src="./swagger-ui-bundle.js"',
        'src="./swagger-ui-standalone-preset.js"',
        'src="./swagger-ui-init.js"',
      ]);
      expect(scripts.every(([, , body]) => body?.trim() === '')).to.equal(true);
      await request(t().app).get('/docs/swagger-ui-bundle.js').expect(200).expect('Content-Type', /javascript/);
      const init = await request(t().app).get('/docs/swagger-ui-init.js').expect(200);
      expect(init.text).to.contain('"swaggerUrl": "../openapi.json"');
    });

    it('when asked, then it keeps the app policy except upgrade-insecure-requests, which would blank the page over plain HTTP', async () => {
      const appPolicy = (await request(t().app).get('/health').expect(200)).get('Content-Security-Policy');
      const docsPolicy = (await request(t().app).get('/docs/').expect(200)).get('Content-Security-Policy');
      expect(appPolicy).to.contain('upgrade-insecure-requests');
      expect(docsPolicy).to.equal(
        appPolicy
          ?.split(';')
          .filter((directive) => directive !== 'upgrade-insecure-requests')
          .join(';'),
      );
      expect(docsPolicy).to.contain("script-src 'self'");
    });
  });

  describe('in a browser', function () {
    this.timeout(60_000);
    const browser = useChromium();

    it('when /docs is opened, then Swagger UI renders every documented operation, with no error and nothing blocked', async () => {
      const { port } = (await t().server()).address() as AddressInfo;
      const page = await browser().newPage();
      const problems: string[] = [];
      page.on('console', (message) => {
        if (message.type() === 'error') problems.push(`console: ${message.text()}`);
      });
      page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
      page.on('requestfailed', (failed) => problems.push(`request failed: ${failed.url()} ${failed.failure()?.errorText}`));
      const requested: string[] = [];
      page.on('request', (sent) => requested.push(new URL(sent.url()).host));

      await page.goto(`http://127.0.0.1:${port}/docs`);
      await page.locator('.opblock-summary').first().waitFor({ timeout: 20_000 });
      const shown: string[] = [];
      for (const block of await page.locator('.opblock-summary').all()) {
        const method = await block.locator('.opblock-summary-method').innerText();
        shown.push(`${method} ${await block.locator('.opblock-summary-path').getAttribute('data-path')}`);
      }

      expect(page.url()).to.equal(`http://127.0.0.1:${port}/docs/`);
      expect(await page.locator('.info .title').innerText()).to.contain('express-signals reference app');
      expect(shown.sort()).to.deep.equal(documentedOperations().sort());
      expect(problems).to.deep.equal([]);
      expect([...new Set(requested)]).to.deep.equal([`127.0.0.1:${port}`]);
    });
  });
});
