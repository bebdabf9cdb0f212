import { pagePathOf, safeReturnPath } from './web-exception.filter';

describe('the path the sign-in page returns to', () => {
  const sut = safeReturnPath;

  it('keeps a relative path on this site, with its query', () => {
    expect(sut('/overenskommelser/0b7c1b8e-2f0a-4c55-9a38-5a3f2b1c9d10/handelser/SIGN')).toBe('/overenskommelser/0b7c1b8e-2f0a-4c55-9a38-5a3f2b1c9d10/handelser/SIGN');
    expect(sut('/bevakning?fran=2026-01-01')).toBe('/bevakning?fran=2026-01-01');
  });

  it.each([
    ['another host', '//evil.example/'],
    ['another host, backslash', '/\\evil.example/'],
    ['a backslash later on', '/a\\b'],
    ['a scheme', 'https://evil.example/'],
    ['javascript', 'javascript:alert(1)'],
    ['no leading slash', 'overenskommelser'],
    ['a tab', '/\t/evil.example'],
    ['a space', '/ /evil.example'],
    ['non-ASCII', '/\u3000/evil.example'],
    ['too long', `/${'a'.repeat(600)}`],
    ['not a string', ['/a']],
  ])('refuses %s', (_what, value) => {
    expect(sut(value)).toBeNull();
  });

  it('sends a link to the JSON API of an agreement to its page', () => {
    expect(pagePathOf('/agreements/0B7C1B8E-2F0A-4C55-9A38-5A3F2B1C9D10')).toBe('/overenskommelser/0b7c1b8e-2f0a-4c55-9a38-5a3f2b1c9d10');
    expect(pagePathOf('/agreements/0b7c1b8e-2f0a-4c55-9a38-5a3f2b1c9d10/notifications')).toBe('/overenskommelser/0b7c1b8e-2f0a-4c55-9a38-5a3f2b1c9d10');
    expect(pagePathOf('/bevakning')).toBe('/bevakning');
  });
});
