// Dataset inspector panel: the components it shows, then its view (dataset/datasetView.ts).
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import { byId } from '../common/dom';
import { DatasetView } from './datasetView';

new DatasetView(byId('app'));
