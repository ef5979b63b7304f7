// Training dashboard panel: the components it shows, then its view (dashboard/dashboardView.ts).
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-progress-bar/index.js';
import { byId } from '../common/dom';
import { DashboardView } from './dashboardView';

new DashboardView(byId('app'));
