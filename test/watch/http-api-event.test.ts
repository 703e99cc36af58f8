import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { httpApiEvent, httpApiResponse, type HttpRequestParts } from '../../src/watch/http-api-event.js';

const request = (parts: Partial<HttpRequestParts>): HttpRequestParts => ({
  method: 'GET',
  url: '/',
  rawHeaders: ['Host', '127.0.0.1:9000'],
  body: Buffer.alloc(0),
  sourceIp: '127.0.0.1',
  httpVersion: '1.1',
  ...parts,
});

describe('HTTP front door: request to API Gateway HTTP API v2 event', () => {
  it('keeps the raw path and query, joins repeated parameters and headers with commas', () => {
    const event = httpApiEvent(
      request({
        url: '/orders/a%20b?id=1&id=2&q=x%26y',
        rawHeaders: ['Host', 'localhost:9000', 'X-Tag', 'a', 'x-tag', 'b', 'User-Agent', 'curl/8'],
      }),
      new Date(Date.UTC(2026, 11, 3, 8, 5, 9)),
    );
    assert.equal(event.version, '2.0');
    assert.equal(event.routeKey, '$default');
    assert.equal(event.rawPath, '/orders/a%20b');
    assert.equal(event.rawQueryString, 'id=1&id=2&q=x%26y');
    assert.deepEqual(event.queryStringParameters, { id: '1,2', q: 'x&y' });
    assert.deepEqual(event.headers, { host: 'localhost:9000', 'x-tag': 'a,b', 'user-agent': 'curl/8' });
    assert.equal(event.requestContext.http.method, 'GET');
    assert.equal(event.requestContext.http.path, '/orders/a%20b');
    assert.equal(event.requestContext.http.protocol, 'HTTP/1.1');
    assert.equal(event.requestContext.http.userAgent, 'curl/8');
    assert.equal(event.requestContext.domainName, 'localhost:9000');
    assert.equal(event.requestContext.stage, '$default');
    assert.equal(event.requestContext.time, '03/Dec/2026:08:05:09 +0000');
    assert.equal(event.requestContext.timeEpoch, Date.UTC(2026, 11, 3, 8, 5, 9));
    assert.match(event.requestContext.requestId, /^[0-9a-f-]{36}$/);
    assert.equal(event.isBase64Encoded, false);
    assert.equal('body' in event, false);
    assert.equal('cookies' in event, false);
  });

  it('moves cookies out of the headers', () => {
    const event = httpApiEvent(request({ rawHeaders: ['Cookie', 'a=1; b=2', 'Host', 'h'] }));
    assert.deepEqual(event.cookies, ['a=1', 'b=2']);
    assert.equal(event.headers.cookie, undefined);
  });

  it('passes text bodies as text and everything else base64-encoded', () => {
    const json = httpApiEvent(
      request({
        method: 'POST',
        rawHeaders: ['Content-Type', 'application/json; charset=utf-8'],
        body: Buffer.from('{"a":"é"}'),
      }),
    );
    assert.equal(json.body, '{"a":"é"}');
    assert.equal(json.isBase64Encoded, false);
    const binary = Buffer.from([0, 255, 1, 2]);
    const image = httpApiEvent(
      request({ method: 'PUT', rawHeaders: ['Content-Type', 'image/png'], body: binary }),
    );
    assert.equal(image.isBase64Encoded, true);
    assert.deepEqual(Buffer.from(image.body ?? '', 'base64'), binary);
  });
});

describe('HTTP front door: function answer to HTTP response (payload format 2.0)', () => {
  it('maps statusCode, headers, cookies and the body', () => {
    const response = httpApiResponse(
      JSON.stringify({
        statusCode: 201,
        headers: { 'Content-Type': 'text/plain', 'X-Count': 3 },
        cookies: ['a=1; Path=/', 'b=2'],
        body: 'created',
      }),
    );
    assert.equal(response.status, 201);
    assert.deepEqual(response.headers, [
      ['Content-Type', 'text/plain'],
      ['X-Count', '3'],
      ['set-cookie', 'a=1; Path=/'],
      ['set-cookie', 'b=2'],
    ]);
    assert.equal(response.body.toString(), 'created');
  });

  it('decodes a base64 body', () => {
    const bytes = Buffer.from([137, 80, 78, 71]);
    const response = httpApiResponse(
      JSON.stringify({ statusCode: 200, body: bytes.toString('base64'), isBase64Encoded: true }),
    );
    assert.deepEqual(response.body, bytes);
  });

  it('answers any other JSON as a 200 application/json body', () => {
    for (const payload of ['{"message":"hi"}', '"text"', '[1,2]', '42']) {
      const response = httpApiResponse(payload);
      assert.equal(response.status, 200);
      assert.deepEqual(response.headers, [['content-type', 'application/json']]);
      assert.equal(response.body.toString(), payload);
    }
  });

  it('answers 500 for an answer that is not JSON or has an impossible status', () => {
    assert.equal(httpApiResponse('not json').status, 500);
    assert.equal(httpApiResponse('{"statusCode":"abc"}').status, 500);
    assert.equal(httpApiResponse('{"statusCode":99}').status, 500);
  });
});
