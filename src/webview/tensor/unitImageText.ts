// The words over the inspector's 28×28 unit images: a first-layer kernel shows what each hidden
// unit looks for; a step's gradient and update of it show how one batch moved that.
import { MNIST_PIXELS, MNIST_SIDE } from '../../shared/mnist';
import { t } from '../common/strings';

export interface UnitImageText {
  title: string;
  intro: string;
  unitLabel: (unit: number) => string;
}

/** The text for a tensor with pixel rows, chosen by its name (`gradient/…`, `update/…`, else a kernel). */
export function unitImageText(name: string): UnitImageText {
  if (name.startsWith('gradient/')) {
    return {
      title: t('tensor.gradientUnits'),
      intro: t('tensor.gradientUnitsHelp', MNIST_PIXELS),
      unitLabel: (unit) => t('tensor.gradientUnitAria', unit),
    };
  }
  if (name.startsWith('update/')) {
    return {
      title: t('tensor.updateUnits'),
      intro: t('tensor.updateUnitsHelp', MNIST_PIXELS),
      unitLabel: (unit) => t('tensor.updateUnitAria', unit),
    };
  }
  return {
    title: t('tensor.unitFilters'),
    intro: t('tensor.unitFiltersHelp', MNIST_PIXELS, MNIST_SIDE),
    unitLabel: (unit) => t('tensor.unitAria', unit),
  };
}
