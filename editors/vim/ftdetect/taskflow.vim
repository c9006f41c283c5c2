au BufRead,BufNewFile *.taskflow set filetype=taskflow
