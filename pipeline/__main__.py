from .cli import main

if __name__ == "__main__":  # pool workers may re-import this module, and must not run the CLI
    main()
