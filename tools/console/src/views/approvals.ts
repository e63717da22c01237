import { type ApprovalRecord, type AuditEntry } from '@flow/contracts';
import { html } from 'htm/preact';
import { type VNode } from 'preact';
import { useState } from 'preact/hooks';
import { ApiError, getJson, postJson } from '../api';
import { useLoad } from '../hooks';
import { formatTime } from '../model/format';
import { StatusBadge } from './status';

interface LocalUser {
  sub: string;
  name: string;
  roles: string[];
}

const USER_KEY = 'console.user';

const money = (amount: number, currency: string): string =>
  new Intl.NumberFormat('en', { style: 'currency', currency }).format(amount);

const PendingRow = ({
  item,
  user,
  onDone,
}: {
  item: ApprovalRecord;
  user: string;
  onDone: (text: string, ok: boolean) => void;
}): VNode => {
  const [comment, setComment] = useState('');
  const [busy, setBusy] = useState(false);
  const decide = async (decision: 'approve' | 'reject'): Promise<void> => {
    setBusy(true);
    try {
      await postJson('/approvals/decision', { user, approvalId: item.approvalId, decision, comment });
      onDone(`${decision === 'approve' ? 'Approved' : 'Rejected'} order ${item.orderId} as ${user}.`, true);
    } catch (e) {
      const text = e instanceof ApiError ? `${e.status} ${e.body.error ?? ''}: ${e.message}` : String(e);
      onDone(`Could not ${decision} order ${item.orderId}: ${text}`, false);
    } finally {
      setBusy(false);
    }
  };
  const commentId = `comment-${item.approvalId}`;
  return html`<tr data-approval=${item.approvalId} data-order=${item.orderId}>
    <td>${item.orderId}</td>
    <td class="num">${money(item.amount, item.currency)}</td>
    <td>
      <ul class="reasons">
        ${item.reasons.map((r) => html`<li>${r}</li>`)}
      </ul>
    </td>
    <td>${item.requestedBy}</td>
    <td>${formatTime(item.requestedAt)}</td>
    <td>${formatTime(item.expiresAt)}</td>
    <td>
      <label class="sr-only" for=${commentId}>Comment on order ${item.orderId}</label>
      <input
        id=${commentId}
        type="text"
        placeholder="Comment"
        value=${comment}
        onInput=${(e: Event) => setComment((e.target as HTMLInputElement).value)}
      />
      <button type="button" disabled=${busy} onClick=${() => void decide('approve')}>Approve</button>
      <button type="button" class="danger" disabled=${busy} onClick=${() => void decide('reject')}>
        Reject
      </button>
    </td>
  </tr>` as VNode;
};

const Audit = ({ user, approvalId }: { user: string; approvalId: string }): VNode => {
  const audit = useLoad(
    () => getJson<{ items: AuditEntry[] }>('/approvals/audit', { user, approvalId }),
    [user, approvalId],
  );
  if (audit.error !== undefined) return html`<p role="alert">${audit.error}</p>` as VNode;
  return html`<ol class="audit">
    ${(audit.data?.items ?? []).map(
      (a) =>
        html`<li>
          ${formatTime(a.at)} — <strong>${a.action}</strong> by
          ${a.actor}${a.decision === undefined ? '' : ` (${a.decision})`}${a.comment === undefined || a.comment === '' ? '' : `: “${a.comment}”`}${a.note === undefined ? '' : ` — ${a.note}`}
        </li>`,
    )}
  </ol>` as VNode;
};

/** Approvals inbox: pending approvals to decide as a chosen local user, and the audit trail of decided ones. */
export const ApprovalsView = (): VNode => {
  const users = useLoad(() => getJson<LocalUser[]>('/users'), []);
  const [user, setUser] = useState(localStorage.getItem(USER_KEY) ?? 'alice');
  const [message, setMessage] = useState<{ text: string; ok: boolean } | undefined>(undefined);
  const [open, setOpen] = useState<string | undefined>(undefined);
  const pending = useLoad(
    () => getJson<{ items: ApprovalRecord[] }>('/approvals', { user, status: 'pending' }),
    [user],
    ['executions', 'services'],
  );
  const approved = useLoad(
    () => getJson<{ items: ApprovalRecord[] }>('/approvals', { user, status: 'approved' }),
    [user],
    ['executions', 'services'],
  );
  const rejected = useLoad(
    () => getJson<{ items: ApprovalRecord[] }>('/approvals', { user, status: 'rejected' }),
    [user],
    ['executions', 'services'],
  );
  const decided = [...(approved.data?.items ?? []), ...(rejected.data?.items ?? [])].sort((a, b) =>
    (b.decision?.decidedAt ?? '').localeCompare(a.decision?.decidedAt ?? ''),
  );
  const choose = (sub: string): void => {
    localStorage.setItem(USER_KEY, sub);
    setUser(sub);
    setMessage(undefined);
  };
  return html`<section aria-labelledby="ap-title">
    <h1 id="ap-title">Approvals</h1>
    <div class="toolbar">
      <label>
        Signed in as
        <select
          value=${user}
          onChange=${(e: Event) => choose((e.target as HTMLSelectElement).value)}
          data-testid="user"
        >
          ${(users.data ?? []).map((u) => html`<option value=${u.sub}>${u.name} (${u.roles.join(', ')})</option>`)}
        </select>
      </label>
      <span class="muted"
        >Local identities: the console's server signs a short-lived token for the chosen user.</span
      >
    </div>
    <p
      role=${message?.ok === false ? 'alert' : 'status'}
      class=${message?.ok === false ? 'error-text' : 'ok-text'}
      data-testid="approval-message"
    >
      ${message?.text ?? ''}
    </p>
    <h2>Pending</h2>
    ${pending.error !== undefined ? html`<p role="alert">${pending.error}</p>` : ''}
    <table class="grid" data-testid="pending">
      <thead>
        <tr>
          <th scope="col">Order</th>
          <th scope="col">Amount</th>
          <th scope="col">Reasons</th>
          <th scope="col">Requested by</th>
          <th scope="col">Requested</th>
          <th scope="col">Expires</th>
          <th scope="col">Decision</th>
        </tr>
      </thead>
      <tbody>
        ${(pending.data?.items ?? []).map(
          (item) =>
            html`<${PendingRow}
              key=${item.approvalId}
              item=${item}
              user=${user}
              onDone=${(text: string, ok: boolean) => {
                setMessage({ text, ok });
                pending.reload();
                approved.reload();
                rejected.reload();
              }}
            />`,
        )}
        ${
          pending.data !== undefined && pending.data.items.length === 0
            ? html`<tr>
                <td colspan="7">Nothing waits for a decision.</td>
              </tr>`
            : ''
        }
      </tbody>
    </table>
    <h2>Decided</h2>
    <table class="grid" data-testid="decided">
      <thead>
        <tr>
          <th scope="col">Order</th>
          <th scope="col">Amount</th>
          <th scope="col">Status</th>
          <th scope="col">By</th>
          <th scope="col">Comment</th>
          <th scope="col">Decided</th>
          <th scope="col">Audit trail</th>
        </tr>
      </thead>
      <tbody>
        ${decided.map(
          (item) =>
            html`<tr key=${item.approvalId} data-order=${item.orderId}>
              <td>${item.orderId}</td>
              <td class="num">${money(item.amount, item.currency)}</td>
              <td><${StatusBadge} status=${item.status} /></td>
              <td>${item.decision?.approver ?? ''}</td>
              <td>${item.decision?.comment ?? ''}</td>
              <td>${formatTime(item.decision?.decidedAt)}</td>
              <td>
                <button
                  type="button"
                  aria-expanded=${open === item.approvalId}
                  onClick=${() => setOpen(open === item.approvalId ? undefined : item.approvalId)}
                >
                  ${open === item.approvalId ? 'Hide' : 'Show'} audit
                </button>
                ${open === item.approvalId ? html`<${Audit} user=${user} approvalId=${item.approvalId} />` : ''}
              </td>
            </tr>`,
        )}
        ${
          decided.length === 0
            ? html`<tr>
                <td colspan="7">No decided approvals yet.</td>
              </tr>`
            : ''
        }
      </tbody>
    </table>
  </section>` as VNode;
};
