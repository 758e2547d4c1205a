#include "engine/core/tensor.h"

#include <algorithm>
#include <limits>

#include "engine/core/buffer_pool.h"
#include "engine/core/error.h"

namespace attnviz {

std::string shapeString(const Shape& shape) {
  std::string s = "[";
  for (std::size_t i = 0; i < shape.size(); ++i) {
    if (i) s += ", ";
    s += std::to_string(shape[i]);
  }
  return s + "]";
}

std::int64_t shapeNumel(const Shape& shape) {
  std::int64_t n = 1;
  for (std::int64_t d : shape) {
    if (d < 0) throw InternalError("tensor", "negative dimension in shape " + shapeString(shape));
    if (d != 0 && n > std::numeric_limits<std::int64_t>::max() / d)
      throw InternalError("tensor", "shape " + shapeString(shape) + " overflows 64-bit element count");
    n *= d;
  }
  return n;
}

Tensor::Tensor(Shape shape) : Tensor(uninitialized(std::move(shape))) {
  std::fill_n(data_, numel_, 0.0f);
}

Tensor Tensor::uninitialized(Shape shape) {
  Tensor t;
  t.numel_ = shapeNumel(shape);
  t.shape_ = std::move(shape);
  std::shared_ptr<float> storage = BufferPool::global().acquire(static_cast<std::size_t>(t.numel_));
  t.data_ = storage.get();
  t.owner_ = std::move(storage);
  return t;
}

Tensor::Tensor(Shape shape, std::vector<float> values) : shape_(std::move(shape)), numel_(shapeNumel(shape_)) {
  if (static_cast<std::int64_t>(values.size()) != numel_)
    throw InternalError("tensor", "shape " + shapeString(shape_) + " needs " + std::to_string(numel_) +
                                      " values, got " + std::to_string(values.size()));
  auto storage = std::make_shared<std::vector<float>>(std::move(values));
  data_ = storage->data();
  owner_ = std::move(storage);
}

Tensor Tensor::view(float* data, Shape shape, std::shared_ptr<const void> owner) {
  Tensor t;
  t.numel_ = shapeNumel(shape);
  t.shape_ = std::move(shape);
  t.data_ = data;
  t.owner_ = std::move(owner);
  return t;
}

std::int64_t Tensor::dim(int axis) const {
  const int r = rank();
  const int a = axis < 0 ? axis + r : axis;
  if (a < 0 || a >= r)
    throw InternalError("tensor", "axis " + std::to_string(axis) + " out of range for shape " + shapeString(shape_));
  return shape_[static_cast<std::size_t>(a)];
}

static std::int64_t flatIndex(const Shape& shape, std::initializer_list<std::int64_t> index) {
  if (index.size() != shape.size())
    throw InternalError("tensor", "index of rank " + std::to_string(index.size()) + " for shape " + shapeString(shape));
  std::int64_t flat = 0;
  std::size_t axis = 0;
  for (std::int64_t i : index) {
    if (i < 0 || i >= shape[axis])
      throw InternalError("tensor", "index " + std::to_string(i) + " out of range on axis " + std::to_string(axis) +
                                        " of shape " + shapeString(shape));
    flat = flat * shape[axis] + i;
    ++axis;
  }
  return flat;
}

float& Tensor::at(std::initializer_list<std::int64_t> index) { return data_[flatIndex(shape_, index)]; }
float Tensor::at(std::initializer_list<std::int64_t> index) const { return data_[flatIndex(shape_, index)]; }

Tensor Tensor::clone() const {
  Tensor copy = uninitialized(shape_);
  std::copy_n(data_, numel_, copy.data_);
  return copy;
}

Tensor Tensor::reshape(Shape shape) const {
  const auto inferred = std::count(shape.begin(), shape.end(), std::int64_t{-1});
  if (inferred > 1) throw InternalError("tensor", "reshape to " + shapeString(shape) + ": more than one -1");
  if (inferred == 1) {
    std::int64_t known = 1;
    for (std::int64_t d : shape)
      if (d != -1) known *= d;
    if (known == 0 || numel_ % known != 0)
      throw InternalError("tensor", "cannot reshape " + shapeString(shape_) + " to " + shapeString(shape));
    std::replace(shape.begin(), shape.end(), std::int64_t{-1}, numel_ / known);
  }
  if (shapeNumel(shape) != numel_)
    throw InternalError("tensor", "cannot reshape " + shapeString(shape_) + " to " + shapeString(shape));
  Tensor t = *this;
  t.shape_ = std::move(shape);
  return t;
}

Tensor Tensor::slice(std::int64_t i) const {
  if (rank() == 0 || i < 0 || i >= shape_[0])
    throw InternalError("tensor", "slice " + std::to_string(i) + " of shape " + shapeString(shape_));
  Shape rest(shape_.begin() + 1, shape_.end());
  const std::int64_t stride = shapeNumel(rest);
  Tensor t;
  t.shape_ = std::move(rest);
  t.numel_ = stride;
  t.data_ = data_ + i * stride;
  t.owner_ = owner_;
  return t;
}

std::vector<float> Tensor::toVector() const { return std::vector<float>(data_, data_ + numel_); }

}  // namespace attnviz
