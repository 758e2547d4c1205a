// JsonWriter: escaping, nesting, shortest float forms, non-finite numbers as null.
#include <gtest/gtest.h>

#include <cmath>

#include "engine/api/json_writer.h"
#include "engine/api/trace.h"

using attnviz::JsonWriter;
using attnviz::Tensor;

TEST(JsonWriter, EscapesStringsAndNests) {
  JsonWriter w;
  w.beginObject();
  w.key("a\"b");
  w.string("line\nbreak\ttab\\ \x01 d\xC3\xA9j\xC3\xA0");
  w.key("list");
  w.strings({"x", "y"});
  w.key("empty");
  w.beginObject();
  w.endObject();
  w.endObject();
  EXPECT_EQ(w.str(), "{\"a\\\"b\":\"line\\nbreak\\ttab\\\\ \\u0001 d\xC3\xA9j\xC3\xA0\",\"list\":[\"x\",\"y\"],\"empty\":{}}");
}

TEST(JsonWriter, FloatsAreShortestAndNonFiniteIsNull) {
  JsonWriter w;
  w.beginArray();
  w.number(0.1f);
  w.number(std::nanf(""));
  w.number(static_cast<std::int64_t>(-7));
  w.number(2.5);
  w.endArray();
  EXPECT_EQ(w.str(), "[0.1,null,-7,2.5]");
}

TEST(JsonWriter, TensorFollowsShape) {
  JsonWriter w;
  w.tensor(Tensor({2, 1, 2}, {1, 2, 3, 4}));
  EXPECT_EQ(w.str(), "[[[1,2]],[[3,4]]]");
  JsonWriter empty;
  empty.tensor(Tensor({0}));
  EXPECT_EQ(empty.str(), "[]");
}

TEST(TraceJson, SeqToSeqTraceHasTargetTokensTranslationAndHypotheses) {
  attnviz::Trace t;
  t.model = {"m", "seq2seq", "luong-dot"};
  t.input = "tom is tired .";
  t.sourceTokens = {"tom", "<eos>"};
  t.targetTokens = {"tom", "<eos>"};
  t.prediction.translation = "tom";
  t.attention["cross"] = Tensor({2, 2}, {1, 0, 0.25f, 0.75f});
  t.hypotheses.push_back({{"tom", "<eos>"}, -0.5f, Tensor({2, 2}, {1, 0, 0.25f, 0.75f})});
  t.inferenceMs = 1.5;
  EXPECT_EQ(attnviz::traceToJson(t),
            "{\"model\":{\"name\":\"m\",\"kind\":\"seq2seq\",\"variant\":\"luong-dot\"},\"input\":\"tom is tired .\","
            "\"tokens\":{\"source\":[\"tom\",\"<eos>\"],\"target\":[\"tom\",\"<eos>\"]},"
            "\"prediction\":{\"translation\":\"tom\"},\"attention\":{\"cross\":[[1,0],[0.25,0.75]]},"
            "\"hypotheses\":[{\"tokens\":[\"tom\",\"<eos>\"],\"score\":-0.5,\"cross\":[[1,0],[0.25,0.75]]}],"
            "\"timing_ms\":{\"inference\":1.5},\"threads\":0,\"product_flops\":0}");
}
