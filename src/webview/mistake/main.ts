// Mistake panel: its view (mistake/mistakeView.ts). It shows no @vscode-elements component.
import { byId } from '../common/dom';
import { MistakeView } from './mistakeView';

new MistakeView(byId('app'));
