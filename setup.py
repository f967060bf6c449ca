"""Builds the extension redress._native with the project's CMake build (pyproject.toml says
how to install). The interpreter running pip is the one the extension is built for."""
import os
import pathlib
import shutil
import subprocess
import sys

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

SOURCE = pathlib.Path(__file__).resolve().parent


class CMakeBuild(build_ext):
    def build_extension(self, ext):
        target = pathlib.Path(self.get_ext_fullpath(ext.name)).resolve()
        build = pathlib.Path(self.build_temp).resolve() / "cmake"
        configure = ["cmake", "-S", str(SOURCE), "-B", str(build), "-DCMAKE_BUILD_TYPE=Release",
                     "-DREDRESS_BUILD_TESTS=OFF", "-DREDRESS_BUILD_EXAMPLES=OFF", "-DREDRESS_BUILD_BENCH=OFF",
                     "-DREDRESS_BUILD_TOOLS=OFF", "-DREDRESS_BUILD_PYTHON=ON",
                     f"-DPython3_EXECUTABLE={sys.executable}"]
        if shutil.which("ninja"):
            configure += ["-G", "Ninja"]
        subprocess.check_call(configure)
        subprocess.check_call(["cmake", "--build", str(build), "--target", "redress_python"])
        built = next((build / "python" / "redress").glob("_native*.so"))
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(built, target)


setup(ext_modules=[Extension("redress._native", sources=[])], cmdclass={"build_ext": CMakeBuild})
