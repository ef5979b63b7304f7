// Drawing pad panel (draw/drawView.ts).
import '../common/elements';
import { byId } from '../common/dom';
import { DrawView } from './drawView';

new DrawView(byId('app'));
