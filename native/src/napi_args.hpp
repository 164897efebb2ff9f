// Argument reading and error reporting shared by the addon's Node-API entry points: every
// check that fails throws a JavaScript Error saying which argument was wrong, then unwinds
// with Failure to the entry point's GUARD_END.
#pragma once
#define NAPI_VERSION 8
#include <node_api.h>

#include <exception>
#include <string>

namespace salescast {

struct Failure {};

inline void throwError(napi_env env, const std::string& message) {
  napi_throw_error(env, nullptr, message.c_str());
  throw Failure{};
}

inline void check(napi_env env, napi_status status, const char* what) {
  if (status != napi_ok) throwError(env, std::string("salescast native: ") + what);
}

struct Args {
  napi_env env;
  size_t count = 20;
  napi_value values[20];
  void* data = nullptr;  // the function's data pointer (addon.cpp passes its per-thread Instance)
  Args(napi_env e, napi_callback_info info, size_t expected, const char* name) : env(e) {
    check(env, napi_get_cb_info(env, info, &count, values, nullptr, &data), "cannot read arguments");
    if (count < expected) throwError(env, std::string(name) + ": expected " + std::to_string(expected) + " arguments");
  }
  // A Float32Array with at least `need` elements.
  float* floats(size_t i, size_t need, const char* label) {
    bool isTyped = false;
    napi_is_typedarray(env, values[i], &isTyped);
    if (!isTyped) throwError(env, std::string(label) + " must be a Float32Array (the fast backend is float32 only)");
    napi_typedarray_type type;
    size_t length;
    void* data;
    check(env, napi_get_typedarray_info(env, values[i], &type, &length, &data, nullptr, nullptr), "typed array");
    if (type != napi_float32_array) throwError(env, std::string(label) + " must be a Float32Array (the fast backend is float32 only)");
    if (length < need) {
      throwError(env, std::string(label) + " has " + std::to_string(length) + " elements, the operation needs " + std::to_string(need));
    }
    return static_cast<float*>(data);
  }
  // A typed array of the given element type with at least `need` elements (`what` names the type in messages).
  template <typename T>
  T* typed(size_t i, napi_typedarray_type want, size_t need, const char* label, const char* what) {
    bool isTyped = false;
    napi_is_typedarray(env, values[i], &isTyped);
    napi_typedarray_type type;
    size_t length = 0;
    void* data = nullptr;
    if (isTyped) check(env, napi_get_typedarray_info(env, values[i], &type, &length, &data, nullptr, nullptr), "typed array");
    if (!isTyped || type != want) throwError(env, std::string(label) + " must be a " + what);
    if (length < need) {
      throwError(env, std::string(label) + " has " + std::to_string(length) + " elements, the operation needs " + std::to_string(need));
    }
    return static_cast<T*>(data);
  }
  bool isNull(size_t i) {
    napi_valuetype t;
    napi_typeof(env, values[i], &t);
    return t == napi_null || t == napi_undefined;
  }
  int integer(size_t i, const char* label) {
    int32_t v;
    if (napi_get_value_int32(env, values[i], &v) != napi_ok || v < 0) throwError(env, std::string(label) + " must be a non-negative integer");
    return v;
  }
  double number(size_t i, const char* label) {
    double v;
    if (napi_get_value_double(env, values[i], &v) != napi_ok) throwError(env, std::string(label) + " must be a number");
    return v;
  }
  bool flag(size_t i) {
    bool v = false;
    napi_get_value_bool(env, values[i], &v);
    return v;
  }
  void* external(size_t i, const char* what) {
    void* p = nullptr;
    if (napi_get_value_external(env, values[i], &p) != napi_ok || !p) throwError(env, std::string("not ") + what);
    return p;
  }
};

#define NAPI_FN(name) napi_value name(napi_env env, napi_callback_info info)
#define GUARD_BEGIN try {
#define GUARD_END \
  }               \
  catch (const Failure&) {} catch (const std::exception& e) { napi_throw_error(env, nullptr, e.what()); } \
  return nullptr;


/** Adds the per-kernel entry points (kernel_bindings.cpp) to the module's exports. */
void defineKernelBindings(napi_env env, napi_value exports);

/** Adds the GBDT entry points (gbdt_bindings.cpp); `instance` is the per-thread Instance (instance.hpp). */
void defineGbdtBindings(napi_env env, napi_value exports, void* instance);

}  // namespace salescast
