# The Debian package: `cpack -G DEB` in the build folder, after a build. It installs
#   /usr/bin/temoin, /usr/bin/temoin-host                          (install(TARGETS) in host/CMakeLists.txt)
#   the system-wide host manifests of every browser that has such a folder on Linux (install/*.json.in)
#   /usr/lib/systemd/user/temoin-check.{service,timer}              (each user enables the timer themselves)
#   /usr/share/doc/temoin/install.md
# The manifests are the ones `temoin install --system --browser all --host /usr/bin/temoin-host` writes; the
# test below builds the package and checks that, with dpkg-deb.
# Included OPTIONAL by the root CMakeLists.txt.

set(TEMOIN_PACKAGE_PREFIX /usr)
set(_pkg_dir ${CMAKE_BINARY_DIR}/packaging)

# The extension's ids for the packaged manifests: Chromium's as cmake/TemoinEmbed.cmake (included before this
# file) derived it from the manifest's key, Firefox's as the manifest states it.
file(READ ${CMAKE_SOURCE_DIR}/extension/manifest.json _pkg_manifest)
string(JSON TEMOIN_FIREFOX_ID GET "${_pkg_manifest}" browser_specific_settings gecko id)
set(TEMOIN_CHROMIUM_ID ${TEMOIN_CHROMIUM_EXTENSION_ID})
set_property(DIRECTORY ${CMAKE_SOURCE_DIR} APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS
             ${CMAKE_SOURCE_DIR}/extension/manifest.json)

set(TEMOIN_HOST ${TEMOIN_PACKAGE_PREFIX}/bin/temoin-host)
set(TEMOIN_CLI ${TEMOIN_PACKAGE_PREFIX}/bin/temoin)
configure_file(${CMAKE_CURRENT_LIST_DIR}/org.temoin.host.chromium.json.in ${_pkg_dir}/chromium/org.temoin.host.json @ONLY)
configure_file(${CMAKE_CURRENT_LIST_DIR}/org.temoin.host.firefox.json.in ${_pkg_dir}/firefox/org.temoin.host.json @ONLY)
configure_file(${CMAKE_CURRENT_LIST_DIR}/temoin-check.service.in ${_pkg_dir}/temoin-check.service @ONLY)

# The system folders of install/browsers.cc (Linux): Chromium family, then Firefox family.
set(_pkg_chromium_dirs
    /etc/chromium/native-messaging-hosts
    /etc/opt/chrome/native-messaging-hosts
    /etc/opt/edge/native-messaging-hosts
    /etc/opt/vivaldi/native-messaging-hosts)
set(_pkg_firefox_dirs
    /usr/lib/mozilla/native-messaging-hosts
    /usr/lib/librewolf/native-messaging-hosts)
# The manifests and units name /usr/bin/temoin-host and /usr/bin/temoin, and the manifests' folders are absolute:
# they belong in the package only (component deb_system_files, which CPack installs below), never in a plain
# `cmake --install` (install/build-and-run.sh installs into ~/.local and lets `temoin install` write the user's
# own manifests and units). Installed that way they would point the browsers at a /usr/bin/temoin-host that does
# not exist, and Firefox then answers "An unexpected error occurred" instead of "No such native application".
set(_pkg_conffiles "")
foreach(_d IN LISTS _pkg_chromium_dirs)
  install(FILES ${_pkg_dir}/chromium/org.temoin.host.json DESTINATION ${_d}
          COMPONENT deb_system_files EXCLUDE_FROM_ALL)
  string(APPEND _pkg_conffiles "${_d}/org.temoin.host.json\n")
endforeach()
foreach(_d IN LISTS _pkg_firefox_dirs)
  install(FILES ${_pkg_dir}/firefox/org.temoin.host.json DESTINATION ${_d}
          COMPONENT deb_system_files EXCLUDE_FROM_ALL)
endforeach()
install(FILES ${_pkg_dir}/temoin-check.service ${CMAKE_CURRENT_LIST_DIR}/temoin-check.timer
        DESTINATION lib/systemd/user COMPONENT deb_system_files EXCLUDE_FROM_ALL)
if(EXISTS ${CMAKE_SOURCE_DIR}/docs/install.md)
  install(FILES ${CMAKE_SOURCE_DIR}/docs/install.md DESTINATION share/doc/temoin)
endif()
# Files under /etc are the administrator's to edit: dpkg keeps their changes on upgrade.
file(WRITE ${_pkg_dir}/conffiles "${_pkg_conffiles}")

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME temoin)
set(CPACK_PACKAGE_VENDOR "Témoin")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "private record of the work done for online micro-task platforms")
set(CPACK_PACKAGE_DESCRIPTION
    "Témoin keeps, on your own computer, a tamper-evident record of the tasks, balances and payouts that its browser extension sees on AI data platforms. This package holds the native messaging host, the temoin command, the host manifests for Chromium-family browsers and Firefox, and a systemd user timer for hourly checks.")
set(CPACK_PACKAGE_CONTACT "Témoin maintainers <temoin@temoin.org>")
set(CPACK_PACKAGING_INSTALL_PREFIX ${TEMOIN_PACKAGE_PREFIX})
# One package: everything a plain install installs, plus the package-only files.
set(CPACK_INSTALL_CMAKE_PROJECTS "${CMAKE_BINARY_DIR};${PROJECT_NAME};ALL;/"
                                 "${CMAKE_BINARY_DIR};${PROJECT_NAME};deb_system_files;/")
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_PACKAGE_SECTION utils)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_HOMEPAGE "https://temoin.org")
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA ${_pkg_dir}/conffiles)
find_program(_pkg_shlibdeps dpkg-shlibdeps)
if(_pkg_shlibdeps)
  set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
else()
  set(CPACK_DEBIAN_PACKAGE_DEPENDS "libc6, libstdc++6, libsqlite3-0, libssl3")
endif()
include(CPack)

if(TEMOIN_BUILD_TESTS)
  find_program(_pkg_dpkg_deb dpkg-deb)
  if(_pkg_dpkg_deb)
    add_test(NAME deb_package
             COMMAND sh ${CMAKE_SOURCE_DIR}/tests/integration/deb_package_test.sh ${CMAKE_BINARY_DIR}
                     $<TARGET_FILE:temoin>)
    # cpack first brings every target up to date (its "preinstall" step): after a full build this is quick.
    set_tests_properties(deb_package PROPERTIES LABELS "integration;packaging" TIMEOUT 900)
  endif()
  # Real browsers start the installed host (skipped when neither chromium nor firefox-esr is installed).
  add_test(NAME install_browser_probe
           COMMAND sh ${CMAKE_SOURCE_DIR}/tests/integration/install_browser_probe.sh ${CMAKE_SOURCE_DIR}
                   $<TARGET_FILE:temoin>)
  set_tests_properties(install_browser_probe PROPERTIES LABELS "integration;browser" TIMEOUT 180
                       SKIP_RETURN_CODE 77)
endif()
