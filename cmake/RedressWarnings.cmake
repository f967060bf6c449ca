include_guard(GLOBAL)

# Strict warnings for redress's own targets only (never for dependencies' headers,
# which are included as SYSTEM by their imported targets).
function(redress_strict_warnings target)
  target_compile_options(${target} PRIVATE
    -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wsign-conversion)
  if(REDRESS_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()

if(REDRESS_SANITIZE_THREAD)
  add_compile_options(-fsanitize=thread -fno-omit-frame-pointer)
  add_link_options(-fsanitize=thread)
endif()

if(REDRESS_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all)
  add_link_options(-fsanitize=address,undefined)
endif()
