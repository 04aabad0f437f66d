/* SPDX-License-Identifier: BSD-2-Clause */
/* version.h — which vnetlab this is.
 *
 * Promise: VNETLAB_VERSION is the release, MAJOR.MINOR.PATCH, and the one
 * place it is written (the Makefile reads it from here).  libvnetlab is
 * versioned with it: the shared library is libvnetlab.so.MAJOR.MINOR.PATCH
 * with soname libvnetlab.so.MAJOR, and MAJOR goes up with any release
 * that changes or removes what a program built against the last one uses
 * (docs/ARCHITECTURE.md, "libvnetlab").
 */
#ifndef VNETLAB_VERSION_H
#define VNETLAB_VERSION_H

#define VNETLAB_VERSION "0.1.0"

#endif
