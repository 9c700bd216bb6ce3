/**
 * Who made the change, the `users` map, resolution order and the mention plan: plain
 * functions over payloads, with the directory as a function the test writes (no sockets).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { findAuthor } from '../../src/people/author.js';
import type { Author } from '../../src/people/author.js';
import type { MentionSettings } from '../../src/people/mention.js';
import { planMention, wantsAuthor } from '../../src/people/mention.js';
import type { DirectoryUser, Lookup, LookupAnswer } from '../../src/people/resolve.js';
import { cachedLookup, readDirectoryUser, resolveAuthor } from '../../src/people/resolve.js';
import { parseUsers, validateUsers } from '../../src/inputs/users.js';
import { parseYaml } from '../../src/inputs/yaml-parse.js';
import type { UsersMap } from '../../src/inputs/users.js';
import { InputError, parseInputs } from '../../src/inputs/inputs.js';

/** The `users` map of `text`, or an InputError with its problems. */
function parseUsersInput(text: string): Promise<UsersMap> {
  const { users, problems } = parseUsers(text, parseYaml);
  return problems.length > 0 ? Promise.reject(new InputError(problems)) : Promise.resolve(users);
}

function fixture(name: string): Record<string, unknown> {
  const text = readFileSync(`__tests__/fixtures/events/${name}.json`, 'utf8');
  return JSON.parse(text) as Record<string, unknown>;
}

const ALICE: DirectoryUser = {
  id: 101,
  name: 'Alice Smith',
  mention_name: 'AliceSmith',
  email: 'alice@example.com',
};

/** A directory of `users` that records what it was asked. */
function directory(users: DirectoryUser[] = [ALICE]): Lookup & { asked: string[] } {
  const asked: string[] = [];
  const lookup = (ref: string): Promise<LookupAnswer> => {
    asked.push(ref);
    const user = users.find((u) => u.email === ref.toLowerCase() || String(u.id) === ref);
    return Promise.resolve(user ? { found: true, user } : { found: false });
  };
  return Object.assign(lookup, { asked });
}

function author(fields: Partial<Author>): Author {
  return {
    login: '',
    name: '',
    email: '',
    bot: false,
    noreply: false,
    source: 'pusher',
    ...fields,
  };
}

describe('findAuthor', () => {
  it('a push: the pusher, with the head commit e-mail GitHub attributes to them', () => {
    expect(findAuthor('push', fixture('push'))).toEqual({
      login: 'alice',
      name: 'Alice',
      email: 'alice@example.com',
      bot: false,
      noreply: false,
      source: 'pusher',
    });
  });

  it('a push of a commit GitHub does not attribute to the pusher: the pusher, no e-mail', () => {
    const forged = {
      sender: { login: 'mallory' },
      pusher: { name: 'mallory' },
      head_commit: { author: { name: 'Finance Officer', email: 'cfo@example.com' } },
    };
    expect(findAuthor('push', forged)).toMatchObject({
      login: 'mallory',
      name: 'mallory',
      email: '',
    });
    const someoneElse = structuredClone(forged);
    Object.assign(someoneElse.head_commit.author, { username: 'cfo' });
    expect(findAuthor('push', someoneElse)).toMatchObject({ login: 'mallory', email: '' });
    // No authenticated account at all: nobody, whatever the commit says.
    expect(findAuthor('push', { head_commit: forged.head_commit })).toBeUndefined();
  });

  it('reads the pull request user login (no email), also on pull_request_target', () => {
    const expected = {
      login: 'bob',
      name: 'bob',
      email: '',
      source: 'pull request author',
      bot: false,
    };
    expect(findAuthor('pull_request', fixture('pull_request'))).toMatchObject(expected);
    expect(findAuthor('pull_request_target', fixture('pull_request'))).toMatchObject(expected);
  });

  it('workflow_run: the triggering run actor, never its head commit author', () => {
    expect(findAuthor('workflow_run', fixture('workflow_run'))).toEqual({
      login: 'dave',
      name: 'dave',
      email: '',
      bot: false,
      noreply: false,
      source: 'triggering run actor',
    });
    const run = {
      workflow_run: {
        actor: { login: 'erin', type: 'User' },
        triggering_actor: { login: 'frank' },
        head_commit: { author: { name: 'CFO', email: 'cfo@example.com' } },
      },
      sender: { login: 'gina' },
    };
    expect(findAuthor('workflow_run', run)).toMatchObject({ login: 'erin', email: '' });
    delete (run.workflow_run as Record<string, unknown>).actor;
    expect(findAuthor('workflow_run', run)).toMatchObject({ login: 'frank' });
  });

  it('knows bots and noreply addresses; a noreply address names no login', () => {
    const push = (login: string, a: Record<string, unknown>): Author | undefined =>
      findAuthor('push', { sender: { login }, head_commit: { author: a } });
    expect(
      push('dependabot[bot]', {
        name: 'dependabot[bot]',
        email: '49699333+dependabot[bot]@users.noreply.github.com',
        username: 'dependabot[bot]',
      }),
    ).toMatchObject({ bot: true, noreply: true });
    expect(
      push('alice', {
        name: 'Alice',
        email: '123+bob@users.noreply.github.com',
        username: 'alice',
      }),
    ).toMatchObject({ login: 'alice', noreply: true, bot: false });
    expect(push('x', { username: 'x', email: 'noreply@example.com' })).toMatchObject({
      noreply: true,
    });
    expect(push('x', { username: 'x', email: 'no-reply+ci@example.com' })).toMatchObject({
      noreply: true,
    });
    const pr = { pull_request: { user: { login: 'some-app', type: 'Bot' } } };
    expect(findAuthor('pull_request', pr)).toMatchObject({ bot: true });
  });

  it('names nobody for events without a change, and ignores values of the wrong shape', () => {
    expect(findAuthor('schedule', fixture('schedule'))).toBeUndefined();
    expect(findAuthor('push', { head_commit: null, deleted: true })).toBeUndefined();
    expect(
      findAuthor('pull_request', { pull_request: { user: { login: '../x' } } }),
    ).toBeUndefined();
    const odd = findAuthor('push', {
      sender: { login: 'mallory' },
      head_commit: {
        author: { name: 'Mallory\n@all \u202eplease', email: 'not an email', username: 'Mallory' },
      },
    });
    expect(odd).toMatchObject({ login: 'mallory', email: '', name: 'Mallory @all please' });
  });
});

describe('users map', () => {
  it('maps logins (any case) to emails or @mention names', async () => {
    const users = await parseUsersInput('Alice: Alice@Corp.example\nbob: "@BobJ"\n');
    expect([...users]).toEqual([
      ['alice', { kind: 'email', email: 'alice@corp.example' }],
      ['bob', { kind: 'mention', mentionName: 'BobJ' }],
    ]);
    expect((await parseUsersInput('{"carol": "carol@x.example"}')).get('carol')).toBeDefined();
    expect((await parseUsersInput('  \n')).size).toBe(0);
  });

  it.each([
    [
      'bob: @BobJ',
      /not valid YAML: Plain value cannot start with reserved character @ at line 1, column 6\. .*quoted/,
    ],
    ['alice: a@x.example\nalice: b@x.example', /Map keys must be unique at line 2, column 1/],
    ['a: &x a@x.example\nb: *x', /not valid YAML: Alias resolution is disabled/],
    ['- alice', /`users` is not a map/],
    ['alice: alice', /entry 'alice': 'alice' is neither an email address nor an "@mention_name"/],
    ['alice: "@all"', /entry 'alice': '@all' is not a HipChat mention name/],
    ['alice: "@Here"', /never @all or @here/],
    ['alice: "@Ali ce"', /is not a HipChat mention name/],
    ['dependabot[bot]: "@x"', /bots are never mentioned/],
    ['"-x": a@x.example', /entry '-x': not a GitHub login/],
    ['alice: [a@x.example]', /not a list/],
    ['Alice: a@x.example\nalice: b@x.example', /entry 'alice': listed twice/],
  ])('rejects %j naming the entry', async (text, message) => {
    const error = await parseUsersInput(text).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toMatch(message);
  });

  it('lists every bad entry at once, and bounds its size', () => {
    const { problems } = validateUsers({ 'a-': 'x', b: 'y' });
    expect(problems).toHaveLength(2);
    const many = Object.fromEntries(Array.from({ length: 1001 }, (_, i) => [`u${i}`, 'a@b.c']));
    expect(validateUsers(many).problems).toEqual([
      '`users` has 1001 entries; at most 1000 are accepted.',
    ]);
  });
});

describe('resolveAuthor', () => {
  const none: UsersMap = new Map();

  it('uses the users map first: an @mention needs no lookup', async () => {
    const lookup = directory();
    const users: UsersMap = new Map([['alice', { kind: 'mention', mentionName: 'Ally' }]]);
    const got = await resolveAuthor(
      author({ login: 'Alice', name: 'Alice', email: 'alice@example.com' }),
      users,
      lookup,
    );
    expect(got).toMatchObject({ mentionName: 'Ally', messageTo: '@Ally' });
    expect(lookup.asked).toEqual([]);
  });

  it('looks a mapped email up, instead of the commit email', async () => {
    const lookup = directory();
    const users: UsersMap = new Map([['al', { kind: 'email', email: 'alice@example.com' }]]);
    const got = await resolveAuthor(
      author({ login: 'al', email: 'al@home.example' }),
      users,
      lookup,
    );
    expect(got).toMatchObject({ name: 'Alice Smith', mentionName: 'AliceSmith', messageTo: '101' });
    expect(lookup.asked).toEqual(['alice@example.com']);
  });

  it('then asks the directory by the commit email', async () => {
    const lookup = directory();
    const got = await resolveAuthor(
      author({ name: 'A', email: 'alice@example.com' }),
      none,
      lookup,
    );
    expect(got.mentionName).toBe('AliceSmith');
    expect(got.how).toBe('the commit email alice@example.com belongs to HipChat user @AliceSmith.');
  });

  it.each([
    ['a bot', author({ login: 'x[bot]', name: 'x[bot]', bot: true, email: 'a@b.c' }), /bot/],
    [
      'a noreply address',
      author({ name: 'A', email: '1+a@users.noreply.github.com', noreply: true }),
      /noreply/,
    ],
    [
      'no email',
      author({ login: 'bob', name: 'bob', source: 'pull request author' }),
      /no email that GitHub ties to bob/,
    ],
    ['an unknown email', author({ name: 'Zed', email: 'zed@example.com' }), /HipChat has no user/],
  ])('names %s in plain text, without asking where asking cannot help', async (_what, who, why) => {
    const lookup = directory();
    const got = await resolveAuthor(who, none, lookup);
    expect(got.mentionName).toBe('');
    expect(got.messageTo).toBe('');
    expect(got.how).toMatch(why);
    expect(lookup.asked.length).toBe(who.email !== '' && !who.bot && !who.noreply ? 1 : 0);
  });

  it('pings nobody when the directory fails, answers for another email, or gives an unsafe name', async () => {
    const who = author({ name: 'A', email: 'alice@example.com' });
    const failed: Lookup = () =>
      Promise.resolve({ found: false, failed: true, reason: 'HTTP 403: scope' });
    expect((await resolveAuthor(who, none, failed)).how).toMatch(/could not be asked.*HTTP 403/);
    for (const user of [
      { ...ALICE, email: 'mallory@example.com' },
      { ...ALICE, mention_name: 'all' },
      { ...ALICE, mention_name: 'Alice Smith' },
    ]) {
      const lookup: Lookup = () => Promise.resolve({ found: true, user });
      expect((await resolveAuthor(who, none, lookup)).mentionName).toBe('');
    }
  });

  it('caches lookups per reference within the run', async () => {
    const lookup = directory();
    const cached = cachedLookup(lookup);
    await cached('alice@example.com');
    await cached('ALICE@example.com');
    await cached('zed@example.com');
    expect(lookup.asked).toEqual(['alice@example.com', 'zed@example.com']);
  });

  it('reads directory answers defensively', () => {
    expect(readDirectoryUser({ ...ALICE, name: 'A\nB' })).toEqual({ ...ALICE, name: 'A B' });
    expect(readDirectoryUser({ ...ALICE, id: '101' })).toBeUndefined();
    expect(readDirectoryUser('<html>')).toBeUndefined();
  });
});

describe('planMention', () => {
  const settings = (over: Partial<MentionSettings> = {}): MentionSettings => ({
    mention: 'author',
    privateMessage: false,
    format: 'text',
    users: new Map(),
    ...over,
  });
  const push = { eventName: 'push', event: fixture('push'), outcome: 'failure' as const };

  it('mentions only on failure outcomes', async () => {
    for (const outcome of ['success', 'cancelled', 'none'] as const) {
      const lookup = directory();
      const plan = await planMention(
        settings({ privateMessage: true }),
        { ...push, outcome },
        lookup,
      );
      expect(plan).toEqual({ messageTo: '', notices: [], info: [] });
      expect(lookup.asked).toEqual([]);
    }
    expect(wantsAuthor(settings({ mention: 'none' }), 'failure')).toBe(false);
    expect(wantsAuthor(settings({ mention: 'none', privateMessage: true }), 'failure')).toBe(true);
  });

  it('resolves the failing author to one live mention in text', async () => {
    const plan = await planMention(settings({ privateMessage: true }), push, directory());
    expect(plan.person).toEqual({ name: 'Alice Smith', mention_name: 'AliceSmith' });
    expect(plan.messageTo).toBe('101');
    expect(plan.notices).toEqual([]);
    expect(plan.info).toEqual([
      '`mention: author`: the commit email alice@example.com belongs to HipChat user @AliceSmith.',
    ]);
  });

  it('in html names the person from the commit without asking, and says so once', async () => {
    const lookup = directory();
    const plan = await planMention(settings({ format: 'html' }), push, lookup);
    expect(plan.person).toEqual({ name: 'Alice', mention_name: '' });
    expect(plan.notices).toHaveLength(1);
    expect(plan.notices[0]).toMatch(
      /pings only in text messages, so Alice is named without a ping/,
    );
    expect(lookup.asked).toEqual([]);
  });

  it('with html and a private message: resolved for the message, no ping in the room', async () => {
    const plan = await planMention(
      settings({ format: 'html', privateMessage: true }),
      push,
      directory(),
    );
    expect(plan.person).toEqual({ name: 'Alice Smith', mention_name: '' });
    expect(plan.messageTo).toBe('101');
    expect(plan.notices).toHaveLength(1);
  });

  it('gives one notice when nobody can be pinged', async () => {
    const plan = await planMention(settings(), push, directory([]));
    expect(plan.person).toEqual({ name: 'Alice', mention_name: '' });
    expect(plan.notices).toEqual([
      '`mention: author`: Alice is named without a ping: the commit email alice@example.com, but HipChat has no user with that email.',
    ]);
    const schedule = await planMention(
      settings(),
      { ...push, eventName: 'schedule', event: {} },
      directory(),
    );
    expect(schedule.person).toBeUndefined();
    expect(schedule.notices[0]).toMatch(/the schedule event names no author/);
  });

  it('private message without mention: nobody named in the room', async () => {
    const plan = await planMention(
      settings({ mention: 'none', privateMessage: true }),
      push,
      directory(),
    );
    expect(plan.person).toBeUndefined();
    expect(plan.messageTo).toBe('101');
  });
});

describe('parseInputs: mention, users, private-message', () => {
  const base = { token: 't', room: 'CI', server: 'https://hipchat.example.com' };
  const read =
    (values: Record<string, string>) =>
    (name: string): string =>
      values[name] ?? '';

  it('defaults to no mention and no private message; keeps users as written', () => {
    expect(parseInputs(read(base))).toMatchObject({
      mention: 'none',
      users: new Map(),
      privateMessage: false,
    });
    const set = parseInputs(
      read({ ...base, mention: 'Author', 'private-message': 'true', users: 'a: "@A"\n' }),
      '.',
      parseYaml,
    );
    expect(set).toMatchObject({ mention: 'author', privateMessage: true });
    expect([...set.users]).toEqual([['a', { kind: 'mention', mentionName: 'A' }]]);
    expect(() => parseInputs(read({ ...base, users: 'a: b' }), '.', parseYaml)).toThrow(
      /`users` entry 'a': 'b' is neither an email address/,
    );
  });

  it('names the input, the value and what is accepted', () => {
    const error = (() => {
      try {
        parseInputs(read({ ...base, mention: 'everyone', 'private-message': 'maybe' }));
      } catch (e) {
        return e as InputError;
      }
      throw new Error('expected an InputError');
    })();
    expect([...error.problems].sort()).toEqual([
      "`mention` is 'everyone': expected none or author.",
      "`private-message` is 'maybe': expected true or false.",
    ]);
  });
});
