// Drawing pad panel (draw/drawView.ts).
import '@vscode-elements/elements/dist/vscode-button/index.js';
import { byId } from '../common/dom';
import { DrawView } from './drawView';

new DrawView(byId('app'));
