import { describe, expect, it } from 'vitest';
import { checkRequest, isAllowedOrigin, isLoopbackHost, tokenCookieName } from '../../../electron/web/requestGuard';

const config = { port: 5180, token: 'a'.repeat(48) };
const good = { host: '127.0.0.1:5180' };

describe('the browser-mode request guard', () => {
  it('accepts only loopback names on our own port as Host', () => {
    for (const host of ['127.0.0.1:5180', 'localhost:5180', 'LOCALHOST:5180', '[::1]:5180']) expect(isLoopbackHost(host, 5180)).toBe(true);
    for (const host of [undefined, '', '127.0.0.1', '127.0.0.1:5181', 'evil.example:5180', '127.0.0.1.evil.example:5180', 'localhost.:5180', '0.0.0.0:5180'])
      expect(isLoopbackHost(host, 5180)).toBe(false);
  });

  it('accepts only our own http origin', () => {
    expect(isAllowedOrigin('http://127.0.0.1:5180', 5180)).toBe(true);
    expect(isAllowedOrigin('http://localhost:5180', 5180)).toBe(true);
    for (const origin of ['null', 'https://127.0.0.1:5180', 'http://127.0.0.1:8080', 'http://evil.example', 'http://127.0.0.1:5180/path', 'file://'])
      expect(isAllowedOrigin(origin, 5180)).toBe(false);
  });

  it('takes the token from the query, the Authorization header or the per-port cookie', () => {
    expect(checkRequest({ url: `/?token=${config.token}`, headers: good }, config, 'http')).toEqual({ ok: true, tokenFrom: 'query' });
    expect(checkRequest({ url: '/', headers: { ...good, authorization: `token ${config.token}` } }, config, 'http')).toEqual({ ok: true, tokenFrom: 'header' });
    const cookie = `other=1; ${tokenCookieName(5180)}=${config.token}`;
    expect(checkRequest({ url: '/', headers: { ...good, cookie } }, config, 'http')).toEqual({ ok: true, tokenFrom: 'cookie' });
  });

  it('refuses a missing, wrong or other-port token with 401', () => {
    for (const headers of [good, { ...good, cookie: `${tokenCookieName(5181)}=${config.token}` }, { ...good, authorization: 'token nope' }]) {
      expect(checkRequest({ url: '/?token=short', headers }, config, 'http')).toMatchObject({ ok: false, status: 401 });
    }
  });

  it('refuses a foreign Host or Origin with 403 even with the right token', () => {
    const url = `/?token=${config.token}`;
    expect(checkRequest({ url, headers: { host: 'rebind.example:5180' } }, config, 'http')).toMatchObject({ ok: false, status: 403 });
    expect(checkRequest({ url, headers: { ...good, origin: 'http://evil.example' } }, config, 'http')).toMatchObject({ ok: false, status: 403 });
  });

  it('requires an Origin on WebSocket upgrades and on anything but GET/HEAD', () => {
    const url = `/api?token=${config.token}`;
    expect(checkRequest({ url, headers: good }, config, 'websocket')).toMatchObject({ ok: false, status: 403 });
    expect(checkRequest({ url, method: 'POST', headers: good }, config, 'http')).toMatchObject({ ok: false, status: 403 });
    expect(checkRequest({ url, headers: { ...good, origin: 'http://127.0.0.1:5180' } }, config, 'websocket')).toMatchObject({ ok: true });
  });
});
