// Tensor: a shape plus a pointer to f32 values, owning them or viewing bytes owned by someone else
// (a memory-mapped .safetensors file, a QByteArray pulled out of a zip). Copies share storage, like
// torch.Tensor; clone() makes a deep copy. Row-major (C order), no strides: a view is always contiguous.
//
//   attnviz::Tensor x({2, 3});                      // zeros, owned
//   x.at({1, 2}) = 5.0f;
//   attnviz::Tensor row = x.slice(1);               // [3], shares x's storage
//   attnviz::Tensor w = attnviz::Tensor::view(ptr, {768, 768}, mappedFile);  // borrowed bytes
#pragma once

#include <cstdint>
#include <initializer_list>
#include <memory>
#include <span>
#include <string>
#include <vector>

namespace attnviz {

// Element types. Every op computes in F32; BF16 is reserved for stored weights (loaders convert to F32 today).
enum class DType : std::uint8_t { F32, BF16 };

using Shape = std::vector<std::int64_t>;

// "[2, 3, 4]"
std::string shapeString(const Shape& shape);
// Product of the dimensions; throws InternalError on a negative dimension or int64 overflow.
std::int64_t shapeNumel(const Shape& shape);

class Tensor {
 public:
  Tensor() = default;  // empty: rank 0, no values
  explicit Tensor(Shape shape);                       // owned, zero-initialised
  // Owned, values unspecified: for op outputs that write every element. Storage comes from BufferPool, so
  // repeated runs of one shape reuse memory instead of mapping it anew.
  static Tensor uninitialized(Shape shape);
  Tensor(Shape shape, std::vector<float> values);     // owned; values.size() must equal the shape's numel
  // A view over values owned by `owner` (kept alive by this tensor and every copy of it).
  static Tensor view(float* data, Shape shape, std::shared_ptr<const void> owner);

  const Shape& shape() const { return shape_; }
  int rank() const { return static_cast<int>(shape_.size()); }
  std::int64_t dim(int axis) const;  // negative axis counts from the end
  std::int64_t numel() const { return numel_; }
  bool empty() const { return numel_ == 0; }
  DType dtype() const { return DType::F32; }

  float* data() { return data_; }
  const float* data() const { return data_; }
  std::span<float> values() { return {data_, static_cast<std::size_t>(numel_)}; }
  std::span<const float> values() const { return {data_, static_cast<std::size_t>(numel_)}; }

  // Element access by full index, bounds-checked (throws InternalError). For tests and small loops.
  float& at(std::initializer_list<std::int64_t> index);
  float at(std::initializer_list<std::int64_t> index) const;

  Tensor clone() const;                 // deep copy, owned
  Tensor reshape(Shape shape) const;    // same storage, same numel; one dimension may be -1
  Tensor slice(std::int64_t i) const;   // the sub-tensor at index i of dimension 0, same storage
  std::vector<float> toVector() const;

 private:
  Shape shape_;
  std::int64_t numel_ = 0;
  float* data_ = nullptr;
  std::shared_ptr<const void> owner_;  // keeps the storage alive
};

}  // namespace attnviz
