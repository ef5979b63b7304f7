// Prediction panel: the components it shows, then its view (prediction/predictionView.ts).
import '@vscode-elements/elements/dist/vscode-button/index.js';
import { byId } from '../common/dom';
import { PredictionView } from './predictionView';

new PredictionView(byId('app'));
