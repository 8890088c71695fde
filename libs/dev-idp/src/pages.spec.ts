import { describe, expect, it } from 'vitest';
import { consentPage, deviceInputPage, esc, loginPage } from './pages';

const labelled = (html: string, id: string): boolean =>
  html.includes(`<label for="${id}">`) && html.includes(`id="${id}"`);

describe('dev-idp pages', () => {
  it('labels the login fields and marks a failed attempt accessibly', () => {
    const ok = loginPage({
      action: '/interaction/u1/login',
      abortAction: '/interaction/u1/abort',
      clientName: 'BrowserPane CLI',
    });
    expect(labelled(ok, 'username')).toBe(true);
    expect(labelled(ok, 'password')).toBe(true);
    expect(ok).toContain('autocomplete="current-password"');
    expect(ok).toContain('<html lang="en">');
    expect(ok).not.toContain('role="alert"');
    const failed = loginPage({
      action: '/interaction/u1/login',
      abortAction: '/interaction/u1/abort',
      clientName: 'x',
      username: 'demo',
      failed: true,
    });
    expect(failed).toContain('role="alert"');
    expect(failed).toContain('aria-invalid="true" aria-describedby="login-error"');
    expect(failed).toContain('value="demo"');
  });

  it('escapes everything it interpolates', () => {
    const html = loginPage({
      action: '/i/x/login',
      abortAction: '/i/x/abort',
      clientName: '<script>alert(1)</script>',
      username: '"><img src=x onerror=alert(1)>',
    });
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<img');
    expect(esc(`a&b<"'\`=`)).toBe('a&#38;b&#60;&#34;&#39;&#96;&#61;');
    expect(
      consentPage({ action: 'a', abortAction: 'b', clientName: '<b>', username: 'u', scopes: ['<s>'] }),
    ).not.toContain('<b>');
  });

  it('labels the device code field', () => {
    const html = deviceInputPage({ action: '/device', xsrf: 't', error: 'wrong_code' });
    expect(labelled(html, 'user_code')).toBe(true);
    expect(html).toContain('role="alert"');
  });
});
