/** The shapes the web API answers with (docs/WEB-API.md), as far as the screens read them. */

export type Permission =
  | 'overview'
  | 'agreements.write'
  | 'directory.write'
  | 'hotline.read'
  | 'hotline.write'
  | 'pings'
  | 'intel.read'
  | 'intel.write'
  | 'ledger.verify'
  | 'compliance.read';

export interface NodeInfo {
  id: string;
  party: string;
  fingerprint: string;
}

export interface Session {
  user: string;
  roles: string[];
  csrf: string | null;
  expires: string;
  can: Partial<Record<Permission, boolean>>;
  node: NodeInfo;
}

export interface AwaitingItem {
  id: string;
  thread: string;
  direction: 'in' | 'out';
  kind: string;
  subject: string;
  urgency: string;
  exercise: boolean;
  peer: string;
  ackDue: string;
  msLeft: number;
}

export interface OverdueItem {
  id: string;
  thread: string;
  direction: 'in' | 'out';
  kind: string;
  subject: string;
  urgency: string;
  exercise: boolean;
  peer: string;
  due: string;
  msOver: number;
  escalated: boolean;
}

export interface PeerStatus {
  node: string;
  party: string;
  url: string;
  reachable: boolean | null;
  lastDelivered: string | null;
  lastAttempt: string | null;
  lastError: string | null;
  pending: number;
}

export interface TreeHead {
  treeSize: number;
  timestamp: number;
  rootHash: string;
  signature: string;
}

export interface Verification {
  id?: string;
  state?: 'running' | 'done' | 'failed';
  started?: string;
  finished?: string;
  at?: string;
  ok?: boolean;
  size?: number;
  problem?: { kind?: string; index?: number; message: string } | null;
}

export interface LedgerAlert {
  id: string;
  peer: string;
  code: string;
  reason: string;
  created: string;
}

export interface TrendPoint {
  period: string;
  messages: number;
  medianAckMs: number | null;
  ackWithinShare: number | null;
  pingsAcknowledged: number;
  pingsSent: number;
  objectsShared: number;
  objectsReceived: number;
  reachability: number | null;
}

export interface ObjectSummary {
  id: string;
  type: string;
  name: string | null;
  tlp: string | null;
  origin: string;
  collection?: string;
  created?: string;
  modified: string;
  revoked?: boolean;
}

export interface AgreementParty {
  node: string;
  party: string;
  signed?: boolean;
}

export interface Dashboard {
  now: string;
  node: NodeInfo;
  agreements: { inForce: number; items: AgreementSummary[] } | null;
  hotline: { awaitingAck: AwaitingItem[]; overdue: OverdueItem[]; alerts: number } | null;
  peers: PeerStatus[] | null;
  ledger: {
    size: number;
    rootHash: string;
    treeHead: TreeHead | null;
    lastVerification: Verification | null;
    lastGossip: { peer: string; at: string; treeSize: number } | null;
    alerts: LedgerAlert[];
  } | null;
  intel: { byTlp: Record<string, number>; recent: ObjectSummary[] } | null;
  compliance: { agreement: string; title: string; period: string; trend: TrendPoint[] }[] | null;
}

export interface AgreementSummary {
  id: string;
  title: string;
  state: string;
  parties: AgreementParty[];
  inForceAt: string | null;
}

export interface DeadlineRow {
  message_type: string;
  urgency: string;
  acknowledge_hours: number;
  respond_hours: number;
}

export interface AgreementView extends AgreementSummary {
  effective?: boolean;
  versionInForce?: number | null;
  deadlines: DeadlineRow[];
  latest: { version: number; hash: string; signedBy: string[]; missing: string[]; doc: unknown };
  events: { event: string; by_node: string; version: number; at: string }[];
}

export interface Poc {
  id: string;
  role: string;
  kind: string;
  name: string;
  channels: string[];
  languages: string[];
  timezone: string;
  hours: string;
  confirmed_on: string;
  stale: boolean;
}

export interface DirectoryView {
  parties: { node: string; party: string; self: boolean; pocs: Poc[] }[];
  flags: { kind: string; node: string; agreement?: string; poc?: string; message: string }[];
}

export interface RecipientView {
  node: string;
  state: string;
  overdue: boolean;
  acknowledgement: 'within deadline' | 'over deadline' | 'overdue' | 'pending' | 'no deadline';
  ackDue: string | null;
  respondDue: string | null;
  deliveredAt: string | null;
  error: string | null;
  acknowledgedAt: string | null;
  ackPoc: string | null;
  respondedAt: string | null;
  closedAt: string | null;
  escalated: boolean;
}

export interface HotlineMessage {
  id: string;
  kind: string;
  thread: string;
  agreement: string;
  channel: string;
  sender: { node: string; party: string; poc: string };
  recipients: string[];
  urgency: string;
  subject: string;
  description: string;
  tlp: string;
  pap: string;
  language: string;
  exercise: boolean;
  created: string;
  [field: string]: unknown;
}

export interface MessageView {
  id: string;
  thread: string;
  direction: 'in' | 'out';
  kind: string;
  from: string;
  channel: string;
  urgency: string;
  subject: string;
  exercise: boolean;
  created: string;
  receivedAt: string | null;
  escalates: string | null;
  toPoc: string | null;
  message: HotlineMessage;
  recipients: RecipientView[];
  rendered?: string;
}

export interface AlertView {
  id: string;
  kind: string;
  direction: string;
  node: string;
  poc: string | null;
  reason: string;
  text: string;
  exercise: boolean;
  createdAt: string;
}

export interface ThreadView {
  id: string;
  agreement: string;
  channel: string;
  channels: string[];
  subject: string;
  exercise: boolean;
  openedAt: string;
  closedAt: string | null;
  closedBy: string | null;
  messages: MessageView[];
  alerts: AlertView[];
}
