"""Jupyter's conformance suite (jupyter_kernel_test) for the DLN kernel; jupyter/check.sh runs it.

The kernelspec named by DLN_KERNEL_NAME (default "dln") must be installed where jupyter_client
looks (check.sh installs one in a temporary JUPYTER_PATH).
"""
import os
import unittest

import jupyter_kernel_test as jkt


class DlnKernelTests(jkt.KernelTests):
    kernel_name = os.environ.get("DLN_KERNEL_NAME", "dln")
    language_name = "dln"
    file_extension = ".dln"

    code_hello_world = "print('hello, world')"
    # DLN programs have no way to write to stderr (print goes to stdout), so code_stderr stays empty.

    completion_samples = [
        {"text": "Dropo", "matches": {"Dropout"}},
        {"text": "Dense(3, activ", "matches": {"activation="}},
    ]
    complete_code_samples = ["1 + 2", "print('hi')", "x = [1, 2,\n     3]", "def f(x):\n    return x\n\n"]
    incomplete_code_samples = ["def f(x):", "y = (1 +", "for i in range(3):\n    print(i)"]
    invalid_code_samples = ["x = = 2", "1 2 3"]

    code_generate_error = "undefined_name + 1"
    code_execute_result = [
        {"code": "1 + 2", "result": "3"},
        {"code": "'ab' * 2", "result": "'abab'"},
        {"code": "ones(2, 2)", "mime": "text/html"},
    ]
    code_display_data = [
        {"code": "show(rand(28, 28))", "mime": "image/png"},
        {"code": "plot([3, 2, 1.5, 1.2])", "mime": "image/png"},
        {"code": "m = Sequential([Input(shape=(4,)), Dense(2)])\nm.summary()", "mime": "text/html"},
    ]
    code_history_pattern = "1 + ?"
    supported_history_operations = ("tail", "range", "search")
    code_inspect_sample = "Dense"


if __name__ == "__main__":
    unittest.main()
