import { describe, expect, it } from 'vitest';
import { checkFlowSources, formatProblem } from '../../src/editor/check-flows.ts';
import { yaml } from '../engine/helpers.ts';

/** What `parley flows check` prints for these files, one line per problem. */
function check(files: Record<string, string>): string[] {
  const sources = Object.entries(files).map(([file, source]) => ({ file, source }));
  return checkFlowSources(sources).problems.map(formatProblem);
}

const menu = yaml`
  flow: menu
  triggers: { keywords: [menu], start: true }
  steps:
    - say: Pick one
      buttons: [{ title: Talk to us, payload: human }]
`;
const human = yaml`
  flow: human
  triggers: { keywords: [agent] }
  steps:
    - handoff: asked for a person
`;

describe('flows check: what makes a flow behave badly', () => {
  it('a clean flow set has no problems', () => {
    expect(check({ 'menu.yaml': menu, 'human.yaml': human })).toEqual([]);
  });

  it('a variable nothing sets is an error at the placeholder; a typo gets a suggestion', () => {
    const source = yaml`
      flow: a
      triggers: { keywords: [a] }
      steps:
        - ask: "Your name?"
          var: name
        - say: "Thanks {{nmae}}!"
    `;
    expect(check({ 'a.yaml': source })).toEqual([
      "a.yaml:6:20  error  variable 'nmae' is never set: no ask (var:) or set step in any flow sets it (did you mean 'name'?)",
    ]);
  });

  it('a variable set on only some paths is a warning; a guarded read is not', () => {
    const source = yaml`
      flow: a
      triggers: { keywords: [a] }
      steps:
        - if: "vip"
          then: { set: { discount: "10%" } }
        - say: "Your discount: {{discount}}"
        - if: "discount is set"
          then: { say: "You save {{discount}}" }
        - set: { vip: true }
    `;
    expect(check({ 'a.yaml': source })).toEqual([
      "a.yaml:6:28  warning  variable 'discount' may not be set yet here: some ways to this step skip every step that sets it",
    ]);
  });

  it('a variable only another flow sets is a warning, unless that flow jumps here with it set', () => {
    const order = yaml`
      flow: order
      triggers: { keywords: [order] }
      steps:
        - ask: "Order number?"
          var: order_number
        - goto: confirm
    `;
    const confirm = yaml`
      flow: confirm
      steps:
        - say: "Looking up {{order_number}}"
    `;
    const help = yaml`
      flow: help
      triggers: { keywords: [help] }
      steps:
        - say: "About {{order_number}}?"
    `;
    expect(check({ 'order.yaml': order, 'confirm.yaml': confirm, 'help.yaml': help })).toEqual([
      "help.yaml:4:19  warning  variable 'order_number' is only set in flow 'order'; here it is empty unless the customer went through there first",
    ]);
  });

  it('steps after an end that nothing jumps to are reported once, where they start', () => {
    const source = yaml`
      flow: a
      triggers: { keywords: [a] }
      steps:
        - say: Bye
        - end: true
        - say: Never shown
        - say: Nor this
    `;
    expect(check({ 'a.yaml': source })).toEqual([
      'a.yaml:6:5  warning  this say step can never run: no step leads to it (it comes after an end, a goto or a handoff, and nothing jumps here)',
    ]);
  });

  it('a flow nothing can start is a warning', () => {
    const source = yaml`
      flow: orphan
      steps:
        - say: Nobody sees me
    `;
    expect(check({ 'orphan.yaml': source })).toEqual([
      "orphan.yaml:1:7  warning  flow 'orphan' can never start: it has no triggers, and no button or goto leads to it",
    ]);
  });

  it('a loop without an ask is an error at the step that jumps back, across flows too', () => {
    const a = yaml`
      flow: a
      triggers: { keywords: [a] }
      steps:
        - id: top
          say: Again
        - goto: top
    `;
    const b = yaml`
      flow: b
      triggers: { keywords: [b] }
      steps:
        - say: In b
        - goto: c
    `;
    const c = yaml`
      flow: c
      steps:
        - goto: b
    `;
    const problems = check({ 'a.yaml': a, 'b.yaml': b, 'c.yaml': c });
    expect(problems).toEqual([
      expect.stringMatching(/^a\.yaml:6:5 {2}error {2}the steps on lines 4, 6 can loop forever without asking the customer anything/),
      expect.stringMatching(/^b\.yaml:5:5 {2}error {2}the steps at b\.yaml lines 4, 5 and c\.yaml line 3 can loop forever/),
    ]);
  });

  it('a loop through an ask is fine: every round waits for the customer', () => {
    const source = yaml`
      flow: echo
      triggers: { start: true }
      steps:
        - id: listen
          ask: "Next?"
          var: last
        - say: "got {{last}}"
        - goto: listen
    `;
    expect(check({ 'echo.yaml': source })).toEqual([]);
  });

  it('two flows with the same keyword are an error; the same example is a warning', () => {
    const returns = yaml`
      flow: returns
      triggers: { keywords: [refund], examples: [I want my money back] }
      steps: [{ say: Returns }]
    `;
    const billing = yaml`
      flow: billing
      triggers: { keywords: [Refunds], examples: ["I want my money back!"] }
      steps: [{ say: Billing }]
    `;
    expect(check({ 'returns.yaml': returns, 'z-billing.yaml': billing })).toEqual([
      "z-billing.yaml:2:24  error  keyword 'Refunds' is also a keyword of flow 'returns' (returns.yaml:2): a message with it can start only one of them",
      "z-billing.yaml:2:45  warning  example 'I want my money back!' is also an example of flow 'returns' (returns.yaml:2): the two flows compete for the same messages",
    ]);
  });

  it('an ask button whose payload the ask rejects is an error', () => {
    const source = yaml`
      flow: a
      triggers: { keywords: [a] }
      steps:
        - ask: "Your email?"
          var: email
          validate: email
          buttons: [{ title: Skip, payload: skip }]
    `;
    expect(check({ 'a.yaml': source })).toEqual([
      expect.stringMatching(/^a\.yaml:7:24 {2}error {2}pressing 'Skip' sends 'skip', which this ask rejects \(it expects an email address\)/),
    ]);
  });

  it('texts over WhatsApp limits are warnings', () => {
    const long = 'word '.repeat(900);
    const source = yaml`
      flow: a
      triggers: { keywords: [a] }
      steps:
        - say: "${long}"
          buttons: [{ title: Opening hours and contact, payload: a }]
    `;
    expect(check({ 'a.yaml': source })).toEqual([
      'a.yaml:4:10  warning  this text is 4500 characters; WhatsApp allows 4096 in one message, so it arrives split in 2 parts',
      "a.yaml:5:24  warning  button title 'Opening hours and contact' is 25 characters; WhatsApp allows at most 20: shorten it",
    ]);
  });

  it('loader errors from every file come together with the analyses, sorted by file and line', () => {
    const broken = yaml`
      flow: broken
      steps:
        - sya: hi
    `;
    const jumper = yaml`
      flow: jumper
      triggers: { keywords: [jump] }
      steps:
        - goto: nowhere
        - say: "{{ghost}}"
    `;
    expect(check({ 'broken.yaml': broken, 'jumper.yaml': jumper })).toEqual([
      expect.stringMatching(/^broken\.yaml:3:5 {2}error {2}unknown step type 'sya' \(did you mean 'say'\?\)/),
      "jumper.yaml:4:11  error  goto 'nowhere': no step of that name in this flow, and no flow named 'nowhere'",
      'jumper.yaml:5:5  warning  this say step can never run: no step leads to it (it comes after an end, a goto or a handoff, and nothing jumps here)',
      "jumper.yaml:5:13  error  variable 'ghost' is never set: no ask (var:) or set step in any flow sets it",
    ]);
  });

  it('an unknown step type does not hide the rest of its file: a bad goto there is reported too, with its did-you-mean', () => {
    const menu = yaml`
      flow: menu
      triggers: { start: true }
      steps:
        - sya: Hello
        - id: pick
          ask: "Returns or orders?"
          var: topic
        - if: "topic == 'returns'"
          then: { goto: retrns }
          else: { goto: { step: pik } }
    `;
    const returns = yaml`
      flow: returns
      triggers: { keywords: [return] }
      steps:
        - handoff: a return
    `;
    expect(check({ 'menu.yaml': menu, 'returns.yaml': returns })).toEqual([
      expect.stringMatching(/^menu\.yaml:4:5 {2}error {2}unknown step type 'sya' \(did you mean 'say'\?\)/),
      "menu.yaml:9:19  error  goto 'retrns': no step of that name in this flow, and no flow named 'retrns' (did you mean 'returns'?)",
      "menu.yaml:10:27  error  no step 'pik' in this flow (did you mean 'pick'?)",
    ]);
  });

  it('a step with a stray or wrong key still has its branches checked', () => {
    const source = yaml`
      flow: a
      triggers: { keywords: [a] }
      steps:
        - id: order
          ask: "Order number?"
          var: order
          retries: 99
          on_fail: { goto: { step: ordr } }
    `;
    expect(check({ 'a.yaml': source })).toEqual([
      'a.yaml:7:14  error  retries must be at most 10',
      "a.yaml:8:30  error  no step 'ordr' in this flow (did you mean 'order'?)",
    ]);
  });

  it('an indentation slip is one error at its place; what other files take from that flow is not blamed on them', () => {
    const menu = yaml`
      flow: menu
      triggers: { start: true }
      steps:
        - say: "How can we help?"
          buttons:
            - { title: Returns, payload: returns }
            - { title: Refund, payload: refund }
        - say: "Your order {{order}}"
    `;
    const returns = yaml`
      flow: returns
      triggers:
        keywords: [return]
        payloads: [refund]
      steps:
        - ask: "Your order number?"
          var: order
         - say: "Thanks"
    `;
    expect(check({ 'menu.yaml': menu, 'returns.yaml': returns })).toEqual([
      expect.stringMatching(/^returns\.yaml:8:4 {2}error {2}YAML: All sequence items must start at the same column \(check the indentation/),
    ]);
  });

  it('a slip that upsets the YAML parser several times on one line is reported once, where the line\'s text starts', () => {
    const source = yaml`
      flow: a
      triggers: { keywords: [a] }
      steps:
        - if: "x is set"
          then:
            - say: one
           - say: two
        - say: three
    `;
    expect(check({ 'a.yaml': source })).toEqual([
      expect.stringMatching(/^a\.yaml:7:6 {2}error {2}YAML: .* \(check the indentation/),
    ]);
  });

  it('a payload two flows claim is an error (from the loader)', () => {
    const a = yaml`
      flow: a
      triggers: { payloads: [start_over] }
      steps: [{ say: A }]
    `;
    const b = yaml`
      flow: b
      triggers: { payloads: [start_over] }
      steps: [{ say: B }]
    `;
    expect(check({ 'a.yaml': a, 'b.yaml': b })).toEqual(["b.yaml:2:24  error  payload 'start_over' already starts flow 'a'"]);
  });
});

describe('flows check: call, answer and texts in several languages', () => {
  it('fields a call saves count as set; call_error is set on its on_error branch; a missing field is reported', () => {
    const source = yaml`
      flow: lookup
      triggers: { keywords: [lookup] }
      steps:
        - ask: "Order?"
          var: order_number
        - call: order_lookup
          with: { order: "{{order_number}}" }
          save: { status: data.status }
          on_error:
            - say: "Sorry ({{call_error}})"
            - end: true
        - say: "Status: {{status}}, arriving {{eta}}"
        - answer: "{{last_message}}"
          save: kb_answer
        - say: "{{kb_answer}}"
    `;
    expect(check({ 'lookup.yaml': source })).toEqual([
      "lookup.yaml:12:42  error  variable 'eta' is never set: no ask (var:) or set step in any flow sets it",
    ]);
  });

  it('each language of a text is checked at its own line, and a missing translation is a warning', () => {
    const source = yaml`
      flow: a
      triggers: { keywords: [a] }
      steps:
        - say:
            en: "Hello"
            de: "Hallo"
          buttons:
            - title:
                en: Hours
                de: Öffnungszeiten und Kontakt
              payload: a
        - say: "Bye"
    `;
    expect(check({ 'a.yaml': source })).toEqual([
      "a.yaml:10:15  warning  button title 'Öffnungszeiten und Kontakt' is 26 characters; WhatsApp allows at most 20: shorten it",
      "a.yaml:12:10  warning  no 'de' translation: customers whose language is de see the 'en' text",
    ]);
  });
});
