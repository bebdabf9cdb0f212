import { ALL_STATE_CODES } from '@workflows/agreement/persistence';
import { STATE_LABELS } from '@workflows/agreement/labels';
import { errorSummary, FormState, textField } from './forms';
import { kronorFromText, percentToBasisPoints } from './format';
import { html, paragraphs } from './html';
import { lifecycleSvg, lifecycleText } from './views/lifecycle.view';

describe('web views', () => {
  it('escapes every interpolated value, in text and in attributes, and keeps nested templates', () => {
    const sut = html`<a title="${'"><script>alert(1)</script>'}">${"<b>O'Hara & co</b>"}</a>${html`<i>ok</i>`}${[1, null, false, 'x']}`;
    expect(sut.value).toBe('<a title="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;">&lt;b&gt;O&#39;Hara &amp; co&lt;/b&gt;</a><i>ok</i>1x');
  });

  it("shows the API's message at its field, with the field's label instead of its path, and links the summary to it", () => {
    const sut = new FormState({ 'validity.endDate': '2025-13-01' }, [
      { field: 'validity.endDate', message: 'validity.endDate ska vara ett datum på formen ÅÅÅÅ-MM-DD' },
      { field: 'parties.0.organisationId', message: 'Organisationen finns inte.' },
    ]);
    const field = textField(sut, { name: 'validity.endDate', label: 'Gäller till och med' }).value;
    expect(field).toContain('aria-invalid="true"');
    expect(field).toContain('aria-describedby="f-validity-endDate-fel"');
    expect(field).toContain('Gäller till och med ska vara ett datum på formen ÅÅÅÅ-MM-DD');
    const summary = errorSummary(sut).value;
    expect(summary).toContain('<a href="#f-validity-endDate">Gäller till och med ska vara');
    expect(summary).toContain('<li>Organisationen finns inte.</li>');
  });

  it('reads Swedish numbers as typed, and leaves anything else for the validator to name', () => {
    expect(kronorFromText('2 368 800 kr')).toBe(2368800);
    expect(kronorFromText('två miljoner')).toBe('två miljoner');
    expect(percentToBasisPoints('70,5')).toBe(7050);
    expect(percentToBasisPoints('sjuttio')).toBe('sjuttio');
  });

  it('draws every state of the machine, marks the current one, and says the same in text', () => {
    const svg = lifecycleSvg('extensionDecision.overdue').value;
    for (const code of ALL_STATE_CODES) expect(svg).toContain(STATE_LABELS[code].split(' ')[0]);
    expect(svg.match(/class="state current"/g)).toHaveLength(1);
    expect(svg).toContain('Nuvarande tillstånd: Beslut om förlängning försenat');
    expect(lifecycleText('extensionDecision.overdue').value).toContain('<strong>Beslut om förlängning försenat (nuvarande tillstånd)</strong>');
  });
});

describe('paragraphs', () => {
  it('keeps paragraphs and line breaks, escaping every line', () => {
    const sut = paragraphs;
    expect(sut('Första stycket,\r\nandra raden.\n\n<b>Andra</b> stycket.').value).toBe('<p>Första stycket,<br>andra raden.</p><p>&lt;b&gt;Andra&lt;/b&gt; stycket.</p>');
    expect(sut('  ').value).toBe('<p>–</p>');
    expect(sut(null, 'Inget angivet.').value).toBe('<p>Inget angivet.</p>');
  });
});
