// Runs panel: kept runs compared on the same axes (runs/runsView.ts).
import '../common/elements';
import { byId } from '../common/dom';
import { RunsView } from './runsView';

new RunsView(byId('app'));
