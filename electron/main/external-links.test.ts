import { describe, expect, it, vi } from 'vitest';
import { openExternalSafe, vetExternalUrl } from './external-links.ts';

describe('vetExternalUrl', () => {
  it('lets plain https links through, normalized by the URL parser', () => {
    expect(vetExternalUrl('https://a.example/x?y=1#z')).toEqual({
      ok: true,
      url: 'https://a.example/x?y=1#z',
      display: 'https://a.example/x?y=1#z',
    });
    // Scheme and host case are normalized by parsing, never compared as raw text.
    expect(vetExternalUrl('HTTPS://A.EXAMPLE/x')).toMatchObject({ ok: true, url: 'https://a.example/x' });
  });

  it('refuses every other scheme and every disguise', () => {
    for (const hostile of [
      'http://a.example/',
      'file:///etc/passwd',
      'FILE:///C:/Windows/System32/calc.exe',
      'smb://host/share',
      '\\\\host\\share',
      'ms-msdt:/id PCWDiagnostic',
      'ms-settings:',
      'javascript:alert(1)',
      'JaVaScRiPt:alert(1)',
      'data:text/html,<script>alert(1)</script>',
      'vbscript:msgbox(1)',
      'auditscope://open',
      '  https://a.example',
      'https://a.example\n.evil',
      'https://a.example/\u202Egnp.exe',
      'https://user:pass@a.example/',
      'https://@a.example/',
      'https:/a.example',
      'https://',
      'not a url',
      `https://a.example/${'x'.repeat(3000)}`,
      42,
      undefined,
      { toString: () => 'https://a.example' },
    ]) {
      expect(vetExternalUrl(hostile), String(hostile)).toMatchObject({ ok: false });
    }
  });

  it('spells out an internationalized host, so a look-alike domain shows what it is', () => {
    const vetted = vetExternalUrl('https://аpple.com/login');
    expect(vetted).toMatchObject({ ok: true, url: 'https://xn--pple-43d.com/login' });
    expect(vetted.ok && vetted.display).toBe('https://xn--pple-43d.com/login\n(host: аpple.com)');
  });
});

describe('openExternalSafe', () => {
  it('opens only after the analyst has seen and confirmed the link', async () => {
    const open = vi.fn(async () => undefined);
    const shown: string[] = [];
    const confirm = async (display: string): Promise<boolean> => {
      shown.push(display);
      return true;
    };
    expect(await openExternalSafe('https://a.example/', confirm, open)).toBe('opened');
    expect(shown).toEqual(['https://a.example/']);
    expect(open).toHaveBeenCalledWith('https://a.example/');

    expect(await openExternalSafe('https://b.example/', async () => false, open)).toBe('declined');
    expect(open).toHaveBeenCalledTimes(1);
  });

  it('never asks about, nor opens, a refused link', async () => {
    const open = vi.fn(async () => undefined);
    const confirm = vi.fn(async () => true);
    expect(await openExternalSafe('file:///etc/passwd', confirm, open)).toBe(
      'refused: file: links are not opened',
    );
    expect(confirm).not.toHaveBeenCalled();
    expect(open).not.toHaveBeenCalled();
  });
});
