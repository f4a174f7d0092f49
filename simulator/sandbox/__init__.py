"""Real effects: the snapshotter (overlayfs), the runtime (namespaces and a shim per
container), the freezer, tar codecs and the offline registry. Only this package touches the
kernel; see ``interfaces`` for the two seams, named as containerd names them."""
