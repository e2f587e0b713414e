import { describe, expect, it } from 'vitest';
import { safeUploadName } from './upload.ts';

describe('safeUploadName', () => {
  it('keeps a plain name and drops any folder part', () => {
    expect(safeUploadName('cloudtrail.json.gz')).toBe('cloudtrail.json.gz');
    expect(safeUploadName(encodeURIComponent('../../etc/passwd'))).toBe('passwd');
    expect(safeUploadName(encodeURIComponent('C:\\logs\\okta.ndjson'))).toBe('okta.ndjson');
  });

  it('neutralizes hidden, control and reserved characters and bad encodings', () => {
    expect(safeUploadName('..')).toBe('upload');
    expect(safeUploadName('.bashrc')).toBe('bashrc');
    expect(safeUploadName(encodeURIComponent('a\nb\u0000c<d>.log'))).toBe('a_b_c_d_.log');
    expect(safeUploadName('%E0%A4%A')).toBe('upload');
    expect(safeUploadName(undefined)).toBe('upload');
    expect(safeUploadName('x'.repeat(500)).length).toBe(120);
  });
});
