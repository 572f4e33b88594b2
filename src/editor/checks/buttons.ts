/**
 * Buttons that do nothing useful when pressed. A button on an ask answers it, so its payload must be an
 * answer the ask accepts (a "Talk to a person" button with payload `human` on an ask that wants an email is
 * rejected as a wrong answer, not taken as a way out). Say buttons that start no flow are reported by the loader.
 */
import type { AskStep } from '../../engine/model.ts';
import { checkAnswer, codeExample } from '../../engine/validators.ts';
import type { Check, Finding } from './finding.ts';

export const checkButtons: Check = ({ graph }) => {
  const findings: Finding[] = [];
  for (const node of graph.nodes) {
    if (node.step.kind !== 'ask') continue;
    const ask: AskStep = node.step;
    for (const button of node.facts.buttons) {
      if (!button.answers || checkAnswer(ask.validate, button.payload, ask.buttons).ok) continue;
      findings.push({
        severity: 'error', flow: node.flow.name, place: { step: node.step.id, at: button.at },
        message: `pressing '${button.title}' sends '${button.payload}', which this ask rejects (it expects ${expects(ask)}): ` +
          'buttons on an ask answer it, so a way out (like a person) belongs on a say before the ask, or in an interrupting flow\'s keywords',
      });
    }
  }
  return findings;
};

function expects(ask: AskStep): string {
  switch (ask.validate.type) {
    case 'number':
      return 'a number';
    case 'email':
      return 'an email address';
    case 'phone':
      return 'a phone number';
    case 'pattern':
      return `text matching ${ask.validate.pattern}`;
    case 'code':
      return `a number like ${codeExample(ask.validate)}`;
    default:
      return 'another answer';
  }
}
