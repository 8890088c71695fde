import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CollectingSink } from '../media/media-output';
import { FileFolders, safeFileName } from './file-folders';

const dirs: string[] = [];
const folders = (): FileFolders => {
  const root = mkdtempSync(join(tmpdir(), 'bpane-files-'));
  dirs.push(root);
  return new FileFolders(join(root, 'up'), join(root, 'down'), 1000);
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('FileFolders', () => {
  it('makes file names safe', () => {
    expect(safeFileName('../../etc/passwd')).toBe('passwd');
    expect(safeFileName('..\\win\\evil.txt')).toBe('evil.txt');
    expect(safeFileName('.hidden')).toBe('_hidden');
    expect(safeFileName('a\u0000b')).toBe('a_b');
    expect(safeFileName('a\nb')).toBe('a_b');
    expect(safeFileName('')).toBe('file');
  });
  it('writes uploads without overwriting and refuses large ones', () => {
    const f = folders();
    const a = f.writeUpload('report.pdf', new Uint8Array([1, 2, 3]));
    const b = f.writeUpload('report.pdf', new Uint8Array([4]));
    expect(a).toMatch(/report\.pdf$/);
    expect(b).toMatch(/report \(1\)\.pdf$/);
    expect([...readFileSync(b)]).toEqual([4]);
    expect(() => f.writeUpload('big', new Uint8Array(1001))).toThrow(/exceeds/);
  });
  it('announces a finished download once, not while it is in progress', async () => {
    const f = folders();
    const sink = new CollectingSink();
    f.watchDownloads(sink, 20);
    writeFileSync(join(f.downloads, 'x.bin.crdownload'), 'partial');
    await new Promise((r) => setTimeout(r, 120));
    expect(sink.outputs).toHaveLength(0);
    writeFileSync(join(f.downloads, 'x.bin'), 'done!');
    await new Promise((r) => setTimeout(r, 200));
    f.stop();
    expect(sink.outputs).toEqual([
      { kind: 'file-available', name: 'x.bin', size: 5, path: join(f.downloads, 'x.bin') },
    ]);
    expect(() => f.openDownload('nope')).toThrow();
    const stream = f.openDownload('x.bin');
    await new Promise((resolve, reject) => stream.once('open', resolve).once('error', reject));
    stream.destroy();
  });
});
