// The words over the inspector's unit images: a first-layer kernel shows what each hidden unit looks
// for (28×28); a step's gradient and update of it show how one batch moved that; a conv kernel shows
// every filter on one input channel (kh×kw).
import { MNIST_PIXELS, MNIST_SIDE } from '../../shared/mnist';
import { t } from '../common/strings';

export interface UnitImageText {
  title: string;
  intro: string;
  unitLabel: (unit: number) => string;
}

/**
 * The text for a tensor whose columns are images: a conv kernel's filters (rank 4, on input channel
 * `channel`), else by its name (`gradient/…`, `update/…`, else a first-layer kernel).
 */
export function unitImageText(name: string, shape: readonly number[], channel: number | null): UnitImageText {
  if (shape.length === 4) {
    const at = channel ?? 0;
    return {
      title: t('tensor.filters', at),
      intro: t('tensor.filtersHelp', shape[3], shape[0], shape[1], at),
      unitLabel: (unit) => t('tensor.filterAria', unit, at),
    };
  }
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
