// Runs panel: kept runs compared on the same axes (runs/runsView.ts).
import '@vscode-elements/elements/dist/vscode-button/index.js';
import { byId } from '../common/dom';
import { RunsView } from './runsView';

new RunsView(byId('app'));
