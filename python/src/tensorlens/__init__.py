"""Stream a Keras 3 training run into Tensor Lens (VS Code).

    from tensorlens import TensorLens
    model.fit(x, y, callbacks=[TensorLens()])

or, before any `fit`, `tensorlens.autolog()`. The files follow docs/run-format.md.
"""

from tensorlens._autolog import autolog
from tensorlens._callback import TensorLens, TensorLensWarning

__all__ = ["TensorLens", "TensorLensWarning", "autolog"]
