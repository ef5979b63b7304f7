"""A small convnet in the style of Deep Learning with Python, chapter 8, shown live in Tensor Lens.

Run: python examples/chapter8_convnet.py [MNIST_IDX_DIR]
For a quick look (well under a minute on two CPU cores), train less:
    EPOCHS=1 TRAIN_SAMPLES=3000 python examples/chapter8_convnet.py [MNIST_IDX_DIR]
"""

import os

import keras
from keras import layers
from mnist_idx import load_data

import tensorlens

tensorlens.autolog()  # every fit below is recorded; or pass callbacks=[tensorlens.TensorLens()]

inputs = keras.Input(shape=(28, 28, 1))
x = layers.Conv2D(filters=16, kernel_size=3, activation="relu")(inputs)
x = layers.MaxPooling2D(pool_size=2)(x)
x = layers.Conv2D(filters=32, kernel_size=3, activation="relu")(x)
x = layers.MaxPooling2D(pool_size=2)(x)
x = layers.Conv2D(filters=64, kernel_size=3, activation="relu")(x)
x = layers.Flatten()(x)
outputs = layers.Dense(10, activation="softmax")(x)
model = keras.Model(inputs=inputs, outputs=outputs)
model.summary()

(train_images, train_labels), (test_images, test_labels) = load_data()
train_images = train_images.reshape((60000, 28, 28, 1)).astype("float32") / 255
test_images = test_images.reshape((10000, 28, 28, 1)).astype("float32") / 255

model.compile(optimizer="rmsprop", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
samples = int(os.environ.get("TRAIN_SAMPLES", str(len(train_images))))
epochs = int(os.environ.get("EPOCHS", "3"))
model.fit(train_images[:samples], train_labels[:samples], epochs=epochs, batch_size=64, validation_split=0.1)

test_loss, test_acc = model.evaluate(test_images, test_labels)
print(f"Test accuracy: {test_acc:.3f}")
