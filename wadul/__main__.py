from wadul.cli import main

main()
