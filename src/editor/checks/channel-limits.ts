/**
 * Texts that do not fit a channel. The outbox still delivers them (long text is split, buttons become a
 * numbered list), so these are warnings: the customer sees something other than what the editor wrote.
 */
import type { Check, Finding } from './finding.ts';

export interface ChannelLimits {
  channel: string;
  /** Longest text of one message. */
  text: number;
  /** Longest button title. */
  buttonTitle: number;
}

/** WhatsApp Cloud API: 4096 characters of text; reply-button titles of at most 20 characters. */
export const CHANNEL_LIMITS: readonly ChannelLimits[] = [{ channel: 'WhatsApp', text: 4096, buttonTitle: 20 }];

export const checkChannelLimits: Check = ({ graph }) => {
  const findings: Finding[] = [];
  for (const node of graph.nodes) {
    for (const use of node.facts.texts) {
      const length = [...use.text].length;
      for (const limits of CHANNEL_LIMITS) {
        const place = { step: node.step.id, at: use.at };
        if (use.role === 'message' && length > limits.text) {
          findings.push({
            severity: 'warning', flow: node.flow.name, place,
            message: `this text is ${length} characters; ${limits.channel} allows ${limits.text} in one message, so it arrives split in ${Math.ceil(length / limits.text)} parts`,
          });
        }
        if (use.role === 'button' && length > limits.buttonTitle) {
          findings.push({
            severity: 'warning', flow: node.flow.name, place,
            message: `button title '${use.text}' is ${length} characters; ${limits.channel} allows at most ${limits.buttonTitle}: shorten it`,
          });
        }
      }
    }
  }
  return findings;
};
