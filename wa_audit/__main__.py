from wa_audit.cli import main

main()
