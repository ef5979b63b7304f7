"""Deep Learning with Python, chapter 2: the first network, with the one line that shows it in Tensor Lens.

Run: python examples/chapter2_mnist.py [MNIST_IDX_DIR]
"""

import keras
from keras import layers
from mnist_idx import load_data

from tensorlens import TensorLens

(train_images, train_labels), (test_images, test_labels) = load_data()

model = keras.Sequential(
    [
        layers.Dense(512, activation="relu"),
        layers.Dense(10, activation="softmax"),
    ]
)
model.compile(optimizer="rmsprop", loss="sparse_categorical_crossentropy", metrics=["accuracy"])

train_images = train_images.reshape((60000, 28 * 28)).astype("float32") / 255
test_images = test_images.reshape((10000, 28 * 28)).astype("float32") / 255

model.fit(train_images, train_labels, epochs=5, batch_size=128, callbacks=[TensorLens()])

test_loss, test_acc = model.evaluate(test_images, test_labels)
print(f"test_acc: {test_acc}")
