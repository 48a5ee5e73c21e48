{
  "targets": [
    {
      "target_name": "vtmx_native",
      "sources": [
        "native/addon.cc",
        "native/system_error.cc",
        "native/fd_ops.cc",
        "native/poll_handle.cc",
        "native/blocking_call.cc",
        "native/tty_ioctl.cc",
        "native/tty_ops.cc",
        "native/constants.cc"
      ],
      "include_dirs": [
        "<!(node -p \"require('node-addon-api').include_dir\")"
      ],
      "defines": [
        "NAPI_VERSION=8",
        "NODE_ADDON_API_DISABLE_DEPRECATED",
        "NODE_API_NO_EXTERNAL_BUFFERS_ALLOWED",
        "NAPI_CPP_EXCEPTIONS"
      ],
      "cflags!": ["-fno-exceptions", "-Wno-unused-parameter"],
      "cflags_cc!": ["-fno-exceptions"],
      "cflags": ["-Wall", "-Wextra"],
      "cflags_cc": ["-fexceptions"]
    }
  ]
}
