/**
 * CHANGELOG.md as data (scripts/lib/changelog.ts): the entries waiting under [Unreleased], the
 * release each input came in, and the one step that moves [Unreleased] into a release.
 */
import { describe, expect, it } from 'vitest';
import {
  entries,
  inputSince,
  moveUnreleased,
  sections,
  waitingEntries,
} from '../../scripts/lib/changelog.ts';

const URL = 'https://github.com/o/a';
const CHANGELOG = `# Changelog

Intro.

## [Unreleased]

### Added

- \`needs\`: the jobs to report,
  on two lines.

### Fixed

- A fix.

## [2.0.0] - 2026-12-07

A new major version.

### Added

- \`summary: run\` and \`log-lines\`.

### Changed

- **Breaking:** \`server\` is required.

## [1.0.0] - 2026-12-01

### Added

- \`room\`, \`server\` and \`color: auto\`.

[Unreleased]: ${URL}/compare/v2.0.0...HEAD
[2.0.0]: ${URL}/compare/v1.0.0...v2.0.0
[1.0.0]: ${URL}/releases/tag/v1.0.0
`;

describe('CHANGELOG.md', () => {
  it('reads the sections and their entries, continuation lines included', () => {
    expect(sections(CHANGELOG).map((s) => [s.name, s.date])).toEqual([
      ['Unreleased', undefined],
      ['2.0.0', '2026-12-07'],
      ['1.0.0', '2026-12-01'],
    ]);
    expect(entries(sections(CHANGELOG)[0]!.body)).toEqual(
      new Map([
        ['Added', ['- `needs`: the jobs to report,\n  on two lines.']],
        ['Fixed', ['- A fix.']],
      ]),
    );
  });

  it('says which [Unreleased] entries a release does not hold', () => {
    expect(waitingEntries(CHANGELOG, '2.0.0')).toHaveLength(2);
    const moved = moveUnreleased(CHANGELOG, '2.0.0', '2026-12-08', URL);
    expect(waitingEntries(moved, '2.0.0')).toEqual([]);
    expect(waitingEntries('## [1.0.0]\n\n- x\n', '1.0.0')).toEqual([]);
  });

  it('finds the release each input came in, by its name in backticks', () => {
    expect(
      inputSince(CHANGELOG, ['room', 'color', 'server', 'log-lines', 'needs', 'card']),
    ).toEqual({
      room: '1.0.0',
      color: '1.0.0',
      server: '1.0.0',
      'log-lines': '2.0.0',
      needs: 'unreleased',
      card: undefined,
    });
    // A word that only starts like an input is not the input.
    expect(inputSince('## [1.0.0]\n\n- `room-id` and `rooms`\n', ['room'])).toEqual({
      room: undefined,
    });
  });

  it('moves [Unreleased] into an existing release by subsection, keeping its date and summary', () => {
    const moved = moveUnreleased(CHANGELOG, '2.0.0', '2026-12-08', URL);
    const [unreleased, release] = sections(moved);
    expect(unreleased!.body.trim()).toBe('');
    expect(release).toMatchObject({ name: '2.0.0', date: '2026-12-07' });
    expect(release!.body).toContain('A new major version.');
    expect(entries(release!.body)).toEqual(
      new Map([
        [
          'Added',
          ['- `summary: run` and `log-lines`.', '- `needs`: the jobs to report,\n  on two lines.'],
        ],
        ['Changed', ['- **Breaking:** `server` is required.']],
        ['Fixed', ['- A fix.']],
      ]),
    );
    expect(moved).toContain(`[Unreleased]: ${URL}/compare/v2.0.0...HEAD\n[2.0.0]:`);
    // Doing it again changes nothing.
    expect(moveUnreleased(moved, '2.0.0', '2026-12-09', URL)).toBe(moved);
  });

  it('makes a new release section, dated, with its compare link', () => {
    const moved = moveUnreleased(CHANGELOG, '2.1.0', '2026-12-08', URL);
    expect(sections(moved).map((s) => s.name)).toEqual(['Unreleased', '2.1.0', '2.0.0', '1.0.0']);
    expect(sections(moved)[1]!.date).toBe('2026-12-08');
    expect(moved).toContain(
      `[Unreleased]: ${URL}/compare/v2.1.0...HEAD\n[2.1.0]: ${URL}/compare/v2.0.0...v2.1.0\n`,
    );
    expect(inputSince(moved, ['needs'])).toEqual({ needs: '2.1.0' });
  });
});
