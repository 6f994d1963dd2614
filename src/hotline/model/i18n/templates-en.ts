import type { TemplateSet } from './templates.js';

/** Skeletons a duty officer fills in; [brackets] mark what to replace. */
export const EN_TEMPLATES: TemplateSet = {
  'early-warning': {
    subject: 'Early warning: [short description of the incident]',
    description: `Early warning of a significant incident.
Detected at (UTC): [date and time]
What is happening: [first facts known]
Systems and services affected: [...]
Suspected unlawful or malicious act: [yes / no / unknown, and why]
Possible cross-border impact: [yes / no / unknown, and on whom]
Assistance needed now: [none / what]
An incident notification will follow within [hours] hours.`,
  },
  notification: {
    subject: 'Incident notification: [short description]',
    description: `Incident notification (update of the early warning [message id]).
Initial assessment: [severity and impact]
Indicators of compromise: [attached as STIX objects / listed here]
Measures taken: [containment and mitigation so far]
Affected sectors and critical infrastructure: [...]
Next report: [date and time, UTC]`,
  },
  intermediate: {
    subject: 'Intermediate report: [short description]',
    description: `Intermediate report on incident [incident id].
Progress since the last report: [...]
Current status: [ongoing / contained / resolved]
New indicators or findings: [...]
Requests to the recipients: [none / what]`,
  },
  final: {
    subject: 'Final report: [short description]',
    description: `Final report on incident [incident id].
Detailed description, including severity and impact: [...]
Type of threat or root cause that likely triggered the incident: [...]
Mitigation measures applied and ongoing: [...]
Cross-border impact, if any: [...]
Lessons learned: [...]`,
  },
  rfa: {
    subject: 'Request for assistance: [what is needed]',
    description: `We request your assistance with [incident or threat].
Assistance requested: [e.g. take down servers, block addresses, preserve logs]
Objects concerned: [addresses, domains, attached indicators]
Why your help is needed: [e.g. infrastructure located on your territory]
Requested by: [date and time, UTC]
Contact for follow-up: [point of contact]`,
  },
  rfi: {
    subject: 'Request for information: [topic]',
    description: `We request information on [topic].
Questions: [1. ... 2. ...]
Context: [why the information is needed]
Requested by: [date and time, UTC]`,
  },
  inquiry: {
    subject: 'Formal inquiry: [incident of national concern]',
    description: `Formal inquiry under the agreement concerning [incident].
Facts established: [...]
Grounds for concern: [activity originating from or transiting your territory]
We request: [information / assessment / measures]
Time frame requested: [...]`,
  },
  advisory: {
    subject: 'Security advisory: [product or vulnerability]',
    description: `Vulnerability: [product, versions, identifier such as CVE]
Severity: [score and rating]
Exploitation observed: [yes / no / unknown]
Remedy: [update, configuration change]
Workaround until the remedy is applied: [...]
References: [...]`,
  },
  response: {
    subject: 'Re: [subject of the message answered]',
    description: `In reply to [message id].
Answer: [...]
Measures taken: [...]
Further steps: [...]`,
  },
  closure: {
    subject: 'Closed: [subject of the thread]',
    description: `We consider the matter [message or incident id] closed.
Outcome: [...]
Remaining actions, if any: [...]`,
  },
  ping: {
    subject: 'Communication check',
    description: 'Communication check: please acknowledge receipt of this message.',
  },
  'permission-request': {
    subject: 'Sharing permission request: [objects]',
    description: `We request permission to share the objects listed beyond their current label.
Share with: [parties]
Label once shared: [TLP]
Purpose: [why wider sharing is needed]`,
  },
  'permission-grant': {
    subject: 'Sharing permission: [granted / declined]',
    description: `Decision on the request [message id]: [granted / declined].
Conditions, if any: [...]`,
  },
};
