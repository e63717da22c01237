import { html } from 'htm/preact';
import { type VNode } from 'preact';

/** An execution / step status as a colored badge with its text (color is never the only cue). */
export const StatusBadge = ({ status }: { status: string }): VNode =>
  html`<span class=${`badge badge-${status.toLowerCase()}`} data-status=${status}
    >${status.replace('_', ' ')}</span
  >` as VNode;
