{
  "variables": {
    "pulse_blas%": "none",
    "pulse_blas_include%": "",
    "pulse_blas_libdir%": "",
    "napi_include%": "<(module_root_dir)/../node_modules/node-addon-api"
  },
  "targets": [
    {
      "target_name": "pulse_kernels",
      "sources": ["src/addon.cc", "src/gemm.cc", "src/ce.cc", "src/ops.cc", "src/pool.cc", "src/isa.cc"],
      "include_dirs": ["<(napi_include)"],
      "defines": ["NAPI_VERSION=8", "NAPI_DISABLE_CPP_EXCEPTIONS"],
      "cflags_cc": ["-O3", "-std=c++17", "-fno-math-errno", "-fopenmp-simd", "-Wno-psabi"],
      "cflags_cc!": ["-fno-exceptions"],
      "libraries": ["-lpthread"],
      "xcode_settings": {
        "OTHER_CPLUSPLUSFLAGS": ["-O3", "-std=c++17", "-fno-math-errno", "-fopenmp-simd"],
        "MACOSX_DEPLOYMENT_TARGET": "11.0"
      },
      "conditions": [
        ["pulse_blas=='openblas'", {
          "defines": ["PULSE_HAVE_OPENBLAS=1"],
          "libraries": ["-lopenblas"]
        }],
        ["pulse_blas=='openblas' and pulse_blas_include!=''", {
          "include_dirs": ["<(pulse_blas_include)"]
        }],
        ["pulse_blas=='openblas' and pulse_blas_libdir!=''", {
          "libraries": ["-L<(pulse_blas_libdir)", "-Wl,-rpath,<(pulse_blas_libdir)"]
        }]
      ]
    }
  ]
}
