// The panel's copy of the run state: the host's snapshot, then the same trainer events through the
// same reducer (src/shared/runState.ts), so panel and host never disagree.
import { type RunState, applyEvent, initialRunState } from '../../shared/runState';
import type { HostToWebview } from '../../shared/webviewProtocol';

export class RunStateStore {
  state: RunState = initialRunState();

  /** Applies a runState or trainerEvents message; returns false for any other message. */
  apply(message: HostToWebview): boolean {
    if (message.type === 'runState') this.state = message.state;
    else if (message.type === 'trainerEvents') for (const event of message.events) applyEvent(this.state, event);
    else return false;
    return true;
  }
}
