// Tensor inspector panel: its view (tensor/tensorView.ts). It shows no @vscode-elements component.
import { byId } from '../common/dom';
import { TensorView } from './tensorView';

new TensorView(byId('app'));
