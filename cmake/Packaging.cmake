# Install rules for the service files and the example configuration, and
# CPack's Debian package (cpack -G DEB in the build folder).  Included last
# from the top-level CMakeLists.txt.
#
# Paths follow Debian 12: units in lib/systemd/system, sysusers.d and
# tmpfiles.d under lib/, the configuration in /etc/irokpi (a conffile).
install(FILES ${PROJECT_SOURCE_DIR}/systemd/irokpid.service
  DESTINATION lib/systemd/system)
install(FILES ${PROJECT_SOURCE_DIR}/systemd/sysusers.d-irokpi.conf
  DESTINATION lib/sysusers.d RENAME irokpi.conf)
install(FILES ${PROJECT_SOURCE_DIR}/systemd/tmpfiles.d-irokpi.conf
  DESTINATION lib/tmpfiles.d RENAME irokpi.conf)
install(FILES ${PROJECT_SOURCE_DIR}/systemd/irokpid.conf
  DESTINATION ${CMAKE_INSTALL_FULL_SYSCONFDIR}/irokpi
  PERMISSIONS OWNER_READ OWNER_WRITE GROUP_READ)

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME irokpi)
set(CPACK_PACKAGE_VENDOR "irokpi")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
  "IRO KPI event store daemon (irokpid) and its client (irokpi)")
set(CPACK_PACKAGE_CONTACT "irokpi maintainers <root@localhost>")
# Configure with -DCMAKE_INSTALL_PREFIX=/usr for a package: the
# configuration then goes to /etc (GNUInstallDirs), as postinst expects.
if(NOT CMAKE_INSTALL_PREFIX STREQUAL "/usr")
  message(STATUS "Packaging: CMAKE_INSTALL_PREFIX is ${CMAKE_INSTALL_PREFIX}; "
    "configure with -DCMAKE_INSTALL_PREFIX=/usr to build the .deb")
endif()
set(CPACK_PACKAGING_INSTALL_PREFIX ${CMAKE_INSTALL_PREFIX})
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION admin)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
# The runtime libraries, by their Debian 12 names (dpkg-shlibdeps would find
# the same; naming them keeps the build free of dpkg-dev).
set(CPACK_DEBIAN_PACKAGE_DEPENDS
  "libc6 (>= 2.34), libzmq5 (>= 4.3), libmsgpackc2 (>= 4.0), liblmdb0, libinih1, libjansson4, libmicrohttpd12, libsystemd0, systemd (>= 247)")
configure_file(${PROJECT_SOURCE_DIR}/cmake/deb/conffiles.in
  ${PROJECT_BINARY_DIR}/deb/conffiles @ONLY)
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
  ${PROJECT_BINARY_DIR}/deb/conffiles
  ${PROJECT_SOURCE_DIR}/cmake/deb/postinst
  ${PROJECT_SOURCE_DIR}/cmake/deb/prerm
  ${PROJECT_SOURCE_DIR}/cmake/deb/postrm)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
include(CPack)
