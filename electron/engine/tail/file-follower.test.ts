import { appendFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from '../../../test/support/temp-case.ts';
import { FileFollower, type FollowEvent } from './file-follower.ts';

const temp = tempDir();
afterAll(() => temp.cleanup());

const chunkText = (events: FollowEvent[], inode: number): string =>
  events
    .flatMap((e) => (e.kind === 'chunk' && e.chunk.inode === inode ? [e.chunk.bytes.toString()] : []))
    .join('');

describe('a follower resuming after a rotation it did not see', () => {
  it('reads on in the rotated file, found beside the path by inode, when it holds the bytes read last', () => {
    const log = temp.file('app.log');
    writeFileSync(log, 'one\ntwo\n');
    const { ino } = statSync(log);
    const offset = 'one\ntwo\n'.length;
    appendFileSync(log, 'three\n');
    renameSync(log, `${log}.1`);
    writeFileSync(log, 'four\n');
    const follower = new FileFollower(log, {
      resume: { inode: ino, offset },
      rotatedOut: [{ inode: ino, offset, mark: Buffer.from('two\n') }],
      rotatedWhileStopped: true,
    });
    const events = follower.poll();
    expect(chunkText(events, ino)).toBe('three\n');
    expect(chunkText(events, statSync(log).ino)).toBe('four\n');
    follower.close();
  });

  it('leaves alone a file with that inode whose bytes differ (the inode reused by another file)', () => {
    const log = temp.file('other.log');
    writeFileSync(log, 'alpha\nbeta\ngamma\n');
    const { ino } = statSync(log);
    renameSync(log, `${log}.1`);
    writeFileSync(log, 'delta\n');
    const follower = new FileFollower(log, {
      rotatedOut: [{ inode: ino, offset: 'alpha\nbeta\n'.length, mark: Buffer.from('two\n') }],
    });
    const events = follower.poll();
    expect(chunkText(events, ino)).toBe('');
    expect(chunkText(events, statSync(log).ino)).toBe('delta\n');
    follower.close();
  });
});

describe('a follower whose path goes missing', () => {
  it('counts a new file given the name later as a rotation, and the same file back as the file again', () => {
    const log = temp.file('gone.log');
    writeFileSync(log, 'one\n');
    const follower = new FileFollower(log);
    const first = statSync(log).ino;
    expect(chunkText(follower.poll(), first)).toBe('one\n');
    // Renamed away; the new file comes a poll later (an application that creates its log lazily).
    renameSync(log, `${log}.1`);
    expect(follower.poll().map((e) => e.kind)).toContain('missing');
    writeFileSync(log, 'two\n');
    const second = statSync(log).ino;
    const events = follower.poll();
    expect(events).toContainEqual({ kind: 'rotated', from: first, to: second });
    expect(events.some((e) => e.kind === 'appeared')).toBe(false);
    expect(chunkText(events, second)).toBe('two\n');
    // Moved away and back: the same file, not a rotation.
    renameSync(log, `${log}.away`);
    expect(follower.poll().map((e) => e.kind)).toContain('missing');
    renameSync(`${log}.away`, log);
    expect(follower.poll()).toContainEqual({ kind: 'appeared', inode: second });
    follower.close();
  });
});

describe('a follower whose file is moved away and back', () => {
  it('reads it again from its start, and no longer from its old place among the rotated files', () => {
    for (const rewritten of [false, true]) {
      const log = temp.file(`back-${rewritten}.log`);
      writeFileSync(log, 'one\ntwo\n');
      const follower = new FileFollower(log);
      const inode = statSync(log).ino;
      expect(chunkText(follower.poll(), inode)).toBe('one\ntwo\n');
      renameSync(log, `${log}.away`);
      expect(follower.poll().map((e) => e.kind)).toContain('missing');
      // Rewritten in place meanwhile (the same inode), longer than what was read: no half line
      // read from the old place.
      if (rewritten) writeFileSync(`${log}.away`, 'alpha-line\nbeta-line\n');
      renameSync(`${log}.away`, log);
      const back = follower.poll();
      expect(back.filter((e) => e.kind === 'chunk')).toHaveLength(1);
      expect(chunkText(back, inode)).toBe(rewritten ? 'alpha-line\nbeta-line\n' : 'one\ntwo\n');
      appendFileSync(log, 'three\n');
      expect(chunkText(follower.poll(), inode)).toBe('three\n');
      follower.close();
    }
  });
});
